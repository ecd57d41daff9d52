using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace AsyncFunctions.Server.Tests;

/// <summary>The API keys every <see cref="TestApp"/> has unless told otherwise: plain keys and hashed ones.</summary>
public static class TestKeys
{
    public const string Admin = "admin-key-0123456789abcdef";
    public const string Invoker = "invoker-key-0123456789abcdef";
    public const string OtherInvoker = "other-invoker-key-0123456789";
    public const string Viewer = "viewer-key-0123456789abcdef";
    public const string Wrong = "not-a-key-0123456789abcdef";

    public const string AdminName = "ops-admin";
    public const string InvokerName = "app-one";
    public const string OtherInvokerName = "app-two";
    public const string ViewerName = "auditor";

    /// <summary>The settings of <c>AsyncFunctions:ApiKeys</c>; the invokers are configured by <c>KeyHash</c>.</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["AsyncFunctions:ApiKeys:0:Name"] = AdminName,
        ["AsyncFunctions:ApiKeys:0:Role"] = "admin",
        ["AsyncFunctions:ApiKeys:0:Key"] = Admin,
        ["AsyncFunctions:ApiKeys:1:Name"] = InvokerName,
        ["AsyncFunctions:ApiKeys:1:Role"] = "invoker",
        ["AsyncFunctions:ApiKeys:1:KeyHash"] = Sha256(Invoker),
        ["AsyncFunctions:ApiKeys:2:Name"] = OtherInvokerName,
        ["AsyncFunctions:ApiKeys:2:Role"] = "invoker",
        ["AsyncFunctions:ApiKeys:2:KeyHash"] = Sha256(OtherInvoker),
        ["AsyncFunctions:ApiKeys:3:Name"] = ViewerName,
        ["AsyncFunctions:ApiKeys:3:Role"] = "viewer",
        ["AsyncFunctions:ApiKeys:3:Key"] = Viewer,
    };

    /// <summary>What the README's one-liner prints: <c>sha256:</c> and the hex digest.</summary>
    public static string Sha256(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Sends <paramref name="key"/> as the bearer key, or no Authorization header when null.</summary>
    public static HttpClient As(this HttpClient client, string? key)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
