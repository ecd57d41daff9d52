using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.AspNetCore.Http;

namespace AsyncFunctions.AspNetCore.Endpoints;

/// <summary>
/// Starts with an <c>Idempotency-Key</c> header: the first start with a key (per API key, within
/// <see cref="ApiOptions.IdempotencyRetention"/>) creates the execution; a repeat with the same
/// function and body answers that execution; a repeat with another function or body is 422. The
/// database's primary key on (API key, Idempotency-Key) picks the first of concurrent starts.
/// </summary>
public static class IdempotentStarts
{
    public const string Header = "Idempotency-Key";

    public const int MaxKeyLength = 200;

    /// <summary>How long a repeat waits for the first start with its key to create its execution.</summary>
    private static readonly TimeSpan FirstStartWait = TimeSpan.FromSeconds(30);

    /// <summary>The request's key, or null when it sent none; 400 for an empty or overlong one.</summary>
    public static string? ReadKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return null;
        }

        var key = values.Count == 1 ? values[0] : null;
        return key is { Length: > 0 and <= MaxKeyLength } && key.All(c => c is >= ' ' and <= '~')
            ? key
            : throw ApiProblemException.BadField(Header, $"must be one value of 1 to {MaxKeyLength} printable ASCII characters");
    }

    /// <summary>
    /// Starts through <paramref name="start"/> unless the key was used before; returns the execution
    /// and whether this call created it.
    /// </summary>
    public static async Task<(ExecutionRecord Record, bool Created)> StartAsync(
        IdempotentStart key,
        IExecutionStore store,
        TimeProvider time,
        TimeSpan retention,
        Func<Task<ExecutionRecord>> start,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(start);
        var deadline = time.GetUtcNow() + FirstStartWait;
        while (true)
        {
            var now = time.GetUtcNow();
            var claim = await store.ClaimIdempotencyKeyAsync(key, now, now - retention, cancellationToken).ConfigureAwait(false);
            if (claim.Claimed)
            {
                ExecutionRecord record;
                try
                {
                    record = await start().ConfigureAwait(false);
                }
                catch
                {
                    // Nothing started (bad input, unknown function, ...): the key may be used again.
                    await store.ReleaseIdempotencyKeyAsync(key.CallerKey, key.Key, CancellationToken.None).ConfigureAwait(false);
                    throw;
                }

                await store.SetIdempotencyExecutionAsync(key.CallerKey, key.Key, record.Id, CancellationToken.None).ConfigureAwait(false);
                return (record, true);
            }

            if (!string.Equals(claim.Function, key.Function, StringComparison.Ordinal) || !string.Equals(claim.RequestHash, key.RequestHash, StringComparison.Ordinal))
            {
                throw new ApiProblemException(
                    StatusCodes.Status422UnprocessableEntity,
                    "The Idempotency-Key was used for another request",
                    $"The key '{key.Key}' was used with another function or body; send a new key for a new request.");
            }

            if (claim.ExecutionId is { } id && await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } first)
            {
                return (first, false);
            }

            // The first start with this key is still creating its execution.
            if (time.GetUtcNow() > deadline)
            {
                throw new ApiProblemException(StatusCodes.Status409Conflict, "A start with this Idempotency-Key is in progress", $"The first start with the key '{key.Key}' has not finished; try again.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>SHA-256 (hex) of the function name and the body as JSON text (whitespace aside, fields in the order sent).</summary>
    public static string Hash(string function, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(function + "\n" + body.ToJsonString())));
    }
}
