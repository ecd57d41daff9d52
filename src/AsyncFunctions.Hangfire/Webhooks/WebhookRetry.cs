using Hangfire;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Webhooks;

/// <summary>
/// Hangfire's AutomaticRetry for delivery jobs, with the attempts and back-off of the settings.
/// The job itself stops retrying on its last attempt (it records the failure and ends), so the
/// retry count never runs out inside Hangfire.
/// </summary>
public sealed class WebhookRetry(IOptions<WebhookOptions> options)
{
    /// <summary>The job parameter AutomaticRetry counts retries in.</summary>
    public const string RetryCountParameter = "RetryCount";

    public AutomaticRetryAttribute Create()
    {
        var settings = options.Value;
        var retries = Math.Max(settings.MaxAttempts - 1, 0);
        var filter = new AutomaticRetryAttribute { Attempts = retries, OnAttemptsExceeded = AttemptsExceededAction.Fail, LogEvents = false };
        if (retries > 0)
        {
            var delays = settings.RetryDelays;
            filter.DelaysInSeconds = [.. Enumerable.Range(0, retries).Select(i => delays[Math.Min(i, delays.Count - 1)])];
        }

        return filter;
    }
}
