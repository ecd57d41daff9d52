using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AsyncFunctions.Hangfire.Webhooks;

/// <summary>
/// The <c>webhook-signature</c> of Standard Webhooks: <c>v1,</c> and the base64 HMAC-SHA256, under
/// the secret's key, of <c>{webhook-id}.{webhook-timestamp}.{body}</c>.
/// </summary>
public static class WebhookSignature
{
    public static string Sign(byte[] key, string messageId, long timestamp, string body)
    {
        var content = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{messageId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }
}
