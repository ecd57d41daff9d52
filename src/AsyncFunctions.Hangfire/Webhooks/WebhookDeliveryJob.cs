using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using AsyncFunctions.Executions;
using AsyncFunctions.Webhooks;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Webhooks;

/// <summary>
/// Posts the result of a finished execution to its callback URL: one Hangfire job per message,
/// retried by Hangfire (<see cref="WebhookRetry"/>) while an attempt may succeed later. Each
/// attempt is recorded on the execution's callback. It never runs the function again.
/// </summary>
public sealed class WebhookDeliveryJob(IExecutionStore store, ICallbackStore callbacks, WebhookClient client, IOptions<WebhookOptions> options, TimeProvider time)
{
    [JobDisplayName("Webhook of {0}")]
    public async Task DeliverAsync(string executionId, PerformContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var record = await store.GetAsync(executionId, cancellationToken).ConfigureAwait(false);
        var callback = record is not null && record.Status.IsTerminal()
            ? await callbacks.GetAsync(executionId, cancellationToken).ConfigureAwait(false)
            : null;
        if (record is null || callback is null)
        {
            // Purged, or requeued since: the next terminal status sends a message of its own.
            return;
        }

        var messageId = WebhookPayload.MessageId(record);
        if (callback.MessageId == messageId && callback.State != CallbackState.Pending)
        {
            // Another job already settled this message (a state change repeated after a crash queues a second one).
            return;
        }

        var settings = options.Value;
        var attempt = context.GetJobParameter<int>(WebhookRetry.RetryCountParameter, allowStale: false) + 1;
        var at = time.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var (status, error, retry) = await SendAsync(record, callback.Url, messageId, at, settings, cancellationToken).ConfigureAwait(false);
        var state = error is null ? CallbackState.Delivered
            : retry && attempt < settings.MaxAttempts ? CallbackState.Pending
            : CallbackState.Failed;
        await callbacks.RecordAsync(executionId, new CallbackDelivery(messageId, attempt, at, status, error, watch.ElapsedMilliseconds), state, CancellationToken.None).ConfigureAwait(false);
        if (state == CallbackState.Pending)
        {
            throw new WebhookDeliveryException(string.Create(CultureInfo.InvariantCulture, $"Attempt {attempt} of {settings.MaxAttempts} to {callback.Url} failed: {error}"));
        }
    }

    private async Task<(int? Status, string? Error, bool Retry)> SendAsync(ExecutionRecord record, string url, string messageId, DateTimeOffset at, WebhookOptions settings, CancellationToken cancellationToken)
    {
        if (WebhookSecret.TryDecode(settings.Secret) is not { } key)
        {
            return (null, $"No valid webhook secret is configured ({WebhookOptions.Section}:Secret).", false);
        }

        var body = WebhookPayload.Serialize(record);
        var timestamp = at.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(key, messageId, timestamp, body));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        try
        {
            // Only the status matters: the body is never read, so a large answer costs nothing.
            using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return code switch
            {
                >= 200 and < 300 => (code, null, false),
                (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500 => (code, $"The receiver answered {code}.", true),
                >= 300 and < 400 => (code, $"The receiver answered {code}; redirects are not followed.", false),
                _ => (code, $"The receiver answered {code}.", false),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"No answer within {settings.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", true);
        }
        catch (HttpRequestException ex) when (client.RefusalOf(ex) is { } refusal)
        {
            return (null, refusal, false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return (null, "The request failed: " + ex.Message, true);
        }
    }
}
