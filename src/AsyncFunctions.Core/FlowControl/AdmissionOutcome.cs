namespace AsyncFunctions.FlowControl;

/// <summary>What admission decided for an execution about to be queued.</summary>
public enum AdmissionVerdict
{
    /// <summary>It holds a slot of every limit (and passed its rate limit): queue it.</summary>
    Admitted,

    /// <summary>A concurrency limit is full: it waits, without a worker, until a slot is handed to it.</summary>
    Waiting,

    /// <summary>Its rate limit's window is full: it is queued at <see cref="AdmissionOutcome.NotBefore"/>.</summary>
    Delayed,
}

/// <param name="Verdict">The decision.</param>
/// <param name="WaitingFor">For <see cref="AdmissionVerdict.Waiting"/> and <see cref="AdmissionVerdict.Delayed"/>: what holds it, in words.</param>
/// <param name="NotBefore">For <see cref="AdmissionVerdict.Delayed"/>: the start of its window.</param>
public sealed record AdmissionOutcome(AdmissionVerdict Verdict, string? WaitingFor = null, DateTimeOffset? NotBefore = null)
{
    public static readonly AdmissionOutcome Admitted = new(AdmissionVerdict.Admitted);
}
