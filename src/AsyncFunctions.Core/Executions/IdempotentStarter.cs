namespace AsyncFunctions.Executions;

/// <summary>
/// Starts under an idempotency key: the first start with a key (per API key, within its
/// retention) creates the execution; a repeat with the same function and body answers that
/// execution; a repeat with another function or body is refused. The store's primary key on
/// (API key, idempotency key) picks the first of concurrent starts, on any node.
/// </summary>
public sealed class IdempotentStarter(IExecutionStore store, TimeProvider time)
{
    /// <summary>How long a repeat waits for the first start with its key to create its execution.</summary>
    private static readonly TimeSpan FirstStartWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Starts through <paramref name="start"/> unless the key was used within <paramref name="retention"/>;
    /// returns the execution and whether this call created it. Throws
    /// <see cref="IdempotencyKeyReusedException"/> for a key used with another request, and
    /// <see cref="ExecutionConflictException"/> when the first start with the key has not finished in time.
    /// </summary>
    public async Task<(ExecutionRecord Record, bool Created)> StartAsync(IdempotentStart key, TimeSpan retention, Func<Task<ExecutionRecord>> start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
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
                throw new IdempotencyKeyReusedException(key.Key);
            }

            if (claim.ExecutionId is { } id && await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } first)
            {
                return (first, false);
            }

            // The first start with this key is still creating its execution.
            if (time.GetUtcNow() > deadline)
            {
                throw new ExecutionConflictException("A start with this Idempotency-Key is in progress", $"The first start with the key '{key.Key}' has not finished; try again.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
