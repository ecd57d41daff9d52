using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;

namespace AsyncFunctions.FlowControl;

/// <summary>The value a start's debounce key has, as the debounce table keeps it.</summary>
public static class DebounceKeys
{
    /// <summary>Longer values are kept as their SHA-256 (the table's key column holds 200 characters).</summary>
    public const int MaxLength = 200;

    /// <summary>The key's value for this start: "" without a key.</summary>
    public static async ValueTask<string> EvaluateAsync(string function, DebounceRule rule, JsonObject input, ExecutionCaller? caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(input);
        if (rule.Key is not { } key)
        {
            return "";
        }

        var context = new FlowKeyContext(function, JsonSerializer.SerializeToElement(input), caller);
        return Stored(await key.EvaluateAsync(context, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A value as stored: itself when it fits, else <c>sha256:</c> and its hash.</summary>
    public static string Stored(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= MaxLength
            ? value
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }
}
