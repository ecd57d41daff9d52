namespace AsyncFunctions.Hangfire.FlowControl;

/// <summary>The repair sweep of admission (<c>AsyncFunctions:Admission</c>).</summary>
public sealed class AdmissionOptions
{
    public const string Section = "AsyncFunctions:Admission";

    /// <summary>
    /// How often every node repairs admission: frees the slots of executions that finished without
    /// giving them back, hands free slots to waiters, and queues waiters whose wake-up was lost.
    /// Bounds how long a slot can stay lost (with the node timeout, for a node that died).
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A slot whose execution has no row yet is freed once it is this old (a creation that never committed).</summary>
    public TimeSpan OrphanAge { get; set; } = TimeSpan.FromMinutes(1);
}
