namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// The sweep that ends executions whose job the job storage no longer has (bound from
/// <c>AsyncFunctions:Execution:LostJobSweep</c>); see <see cref="LostJobSweeper"/>.
/// </summary>
public sealed class LostJobSweepOptions
{
    public const string Section = "AsyncFunctions:Execution:LostJobSweep";

    /// <summary>How often each node looks; zero turns the sweep off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Executions younger than this are left alone: an execution's row is written just before its
    /// job is committed, so a young row may not have its job yet.
    /// </summary>
    public TimeSpan MinAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows read per query.</summary>
    public int BatchSize { get; set; } = 200;
}
