using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.AspNetCore.Http;

namespace AsyncFunctions.AspNetCore.Endpoints;

/// <summary>
/// The HTTP side of starts with an <c>Idempotency-Key</c> header (kept for
/// <see cref="ApiOptions.IdempotencyRetention"/>): reading the key and hashing the request. The
/// workflow itself is <see cref="IdempotentStarter"/>; a reused key is 422.
/// </summary>
public static class IdempotentStarts
{
    public const string Header = "Idempotency-Key";

    public const int MaxKeyLength = 200;

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

    /// <summary>SHA-256 (hex) of the function name and the body as JSON text (whitespace aside, fields in the order sent).</summary>
    public static string Hash(string function, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(function + "\n" + body.ToJsonString())));
    }
}
