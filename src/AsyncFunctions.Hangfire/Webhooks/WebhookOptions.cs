namespace AsyncFunctions.Hangfire.Webhooks;

/// <summary>Completion webhooks; bound from <c>AsyncFunctions:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "AsyncFunctions:Webhooks";

    /// <summary>
    /// The signing secret, <c>whsec_</c> and 24 to 64 random bytes in base64. Without it a start
    /// whose execution would have a callback URL is refused.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Attempts per message, the first one included.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long one attempt may take, connection and response headers included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The back-off used unless <see cref="RetryDelaysSeconds"/> is set.</summary>
    public static IReadOnlyList<int> DefaultRetryDelaysSeconds { get; } = [5, 30, 120, 600, 1800, 3600, 7200];

    /// <summary>
    /// The wait before each retry (the last one repeats when attempts outnumber it); null for
    /// <see cref="DefaultRetryDelaysSeconds"/>. Null by default because configuration binding adds
    /// to an array it finds instead of replacing it.
    /// </summary>
    public int[]? RetryDelaysSeconds { get; set; }

    public IReadOnlyList<int> RetryDelays => RetryDelaysSeconds is { Length: > 0 } configured ? configured : DefaultRetryDelaysSeconds;

    public bool HasSecret => !string.IsNullOrEmpty(Secret);
}
