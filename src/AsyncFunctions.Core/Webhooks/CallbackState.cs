namespace AsyncFunctions.Webhooks;

/// <summary>Where the callback of an execution stands.</summary>
public enum CallbackState
{
    /// <summary>Not sent yet, or sent and to be tried again.</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Refused for good (a 4xx other than 408 and 429, a refused address) or out of attempts.</summary>
    Failed,
}
