namespace AsyncFunctions.Hangfire.Webhooks;

/// <summary>An attempt that may succeed later (5xx, 408, 429, timeout, broken connection): Hangfire retries the delivery job.</summary>
public sealed class WebhookDeliveryException : Exception
{
    public WebhookDeliveryException(string message)
        : base(message)
    {
    }

    public WebhookDeliveryException()
    {
    }

    public WebhookDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
