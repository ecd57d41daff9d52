namespace AsyncFunctions.Hangfire.Webhooks;

/// <summary>The <c>whsec_&lt;base64&gt;</c> form of Standard Webhooks secrets.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    /// <summary>The key bytes, or null when <paramref name="secret"/> is not a valid secret (24 to 64 bytes).</summary>
    public static byte[]? TryDecode(string? secret)
    {
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var buffer = new byte[secret.Length];
        return Convert.TryFromBase64String(secret[Prefix.Length..], buffer, out var length) && length is >= 24 and <= 64
            ? buffer[..length]
            : null;
    }
}
