namespace AsyncFunctions.Webhooks;

/// <summary>One attempt to post an execution's result to its callback URL.</summary>
/// <param name="MessageId">The <c>webhook-id</c> header: the same for every attempt of one message.</param>
/// <param name="Status">The HTTP status the receiver answered; null when no answer came (timeout, refused address, broken connection).</param>
/// <param name="Error">Why the attempt did not deliver; null when it did.</param>
public sealed record CallbackDelivery(string MessageId, int Attempt, DateTimeOffset At, int? Status, string? Error, long DurationMs);
