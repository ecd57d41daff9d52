namespace AsyncFunctions.Webhooks;

/// <summary>The callback of an execution: where its result goes and how the deliveries went.</summary>
public sealed record ExecutionCallback(string Url, CallbackState State, IReadOnlyList<CallbackDelivery> Deliveries)
{
    /// <summary>The <c>webhook-id</c> of the message the state is about; null before the first attempt.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? MessageId { get; init; }
}
