namespace AsyncFunctions.Hangfire.Webhooks;

/// <summary>
/// The HTTP client deliveries use. The host supplies it with the address guard of its outgoing
/// requests, and says which exceptions mean the guard refused the address (a permanent failure).
/// </summary>
public sealed class WebhookClient(HttpClient http, Func<Exception, string?> refusal)
{
    public HttpClient Http { get; } = http;

    /// <summary>Why the guard refused the address when <paramref name="exception"/> (or an inner one) says so; otherwise null.</summary>
    public string? RefusalOf(Exception exception) => refusal(exception);
}
