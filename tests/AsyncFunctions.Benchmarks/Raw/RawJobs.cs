namespace AsyncFunctions.Benchmarks.Raw;

/// <summary>The raw Hangfire baseline's job methods, resolved from the host's container like ours.</summary>
public sealed class RawJobs
{
#pragma warning disable CA1822 // Instance methods on purpose: Hangfire activates the class per job, as it does ours.
    public void NoOp()
    {
    }

    /// <summary>Hangfire stores the argument with the job and the return value with its Succeeded state.</summary>
    public string Echo(string value) => value;
#pragma warning restore CA1822
}
