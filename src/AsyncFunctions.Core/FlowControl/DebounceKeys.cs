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

    /// <summary>The field of a function's declaration that holds the key, as errors name it.</summary>
    public const string KeyPath = "debounce.key";

    /// <summary>The key's value for this start: "" without a key.</summary>
    /// <exception cref="StartRefusedException">The key failed to evaluate for this start's input (field <c>input</c>).</exception>
    public static async ValueTask<string> EvaluateAsync(string function, DebounceRule rule, JsonObject input, ExecutionCaller? caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(input);
        if (rule.Key is not { } key)
        {
            return "";
        }

        var context = new FlowKeyContext(function, JsonSerializer.SerializeToElement(input), caller);
        try
        {
            return Stored(await key.EvaluateAsync(context, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not StartRefusedException)
        {
            // The input decides the key's value, so the start's input is what the caller must change.
            throw new StartRefusedException("input", $"function '{function}': {KeyPath} failed to evaluate {key.Source} for this input: {ex.Message}");
        }
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
