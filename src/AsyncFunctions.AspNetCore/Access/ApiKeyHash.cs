using System.Security.Cryptography;
using System.Text;

namespace AsyncFunctions.AspNetCore.Access;

/// <summary>The SHA-256 of a key, as configured in <c>KeyHash</c> (<c>sha256:&lt;hex&gt;</c>).</summary>
internal static class ApiKeyHash
{
    public const string Prefix = "sha256:";

    /// <summary>Shorter keys are refused at start-up: they could be guessed.</summary>
    public const int MinKeyLength = 16;

    public static byte[] Of(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The 32 bytes of a <c>sha256:&lt;hex&gt;</c> text, or null when it is not one.</summary>
    public static byte[]? Parse(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var hex = text[Prefix.Length..].Trim();
        if (hex.Length != SHA256.HashSizeInBytes * 2 || !hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        return Convert.FromHexString(hex);
    }
}
