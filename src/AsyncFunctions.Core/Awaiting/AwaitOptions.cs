namespace AsyncFunctions.Awaiting;

/// <summary>Settings of await; bound from <c>AsyncFunctions:Await</c>.</summary>
public sealed class AwaitOptions
{
    public const string Section = "AsyncFunctions:Await";

    /// <summary>Most ids one await may name.</summary>
    public int MaxIds { get; set; } = 1000;

    /// <summary>Longest timeout one await may ask for.</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// First interval of the results-table poll that finds executions finished by other processes.
    /// It doubles while nothing changes, up to <see cref="PollMaxInterval"/>.
    /// </summary>
    public TimeSpan PollMinInterval { get; set; } = TimeSpan.FromMilliseconds(25);

    public TimeSpan PollMaxInterval { get; set; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>Most ids read in one poll query (providers with parameter limits keep it lower).</summary>
    public int PollBatchSize { get; set; } = 500;
}
