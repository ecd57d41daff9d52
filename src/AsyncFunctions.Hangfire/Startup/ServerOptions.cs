namespace AsyncFunctions.Hangfire.Startup;

/// <summary>The job server of this node; bound from <c>AsyncFunctions:Server</c>.</summary>
public sealed class ServerOptions
{
    public const string Section = "AsyncFunctions:Server";

    /// <summary>Hangfire workers on this node; 0 makes an API-only node that runs no jobs.</summary>
    public int WorkerCount { get; set; } = Math.Min(Environment.ProcessorCount * 5, 20);

    /// <summary>How often delayed jobs and retries are moved to the queue.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a running job checks whether it was deleted (its cancellation token then fires).
    /// A cancel made on the node that runs the job stops it at once; this bounds the delay for a
    /// cancel made on another node.
    /// </summary>
    public TimeSpan CancellationCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long shutdown waits for running jobs before they are requeued.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Threads of this node that create jobs: every async start, from the API or from a running
    /// execution, waits on one of them for Hangfire's synchronous client instead of on a thread-pool thread.
    /// </summary>
    public int JobCreationThreads { get; set; } = 16;

    /// <summary>
    /// How often this node records its heartbeat in the results database (shared topologies:
    /// PostgreSQL, SQL Server). See docs/node-recovery.md.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a node may miss its heartbeats before another node requeues the executions it was
    /// running and ends its sync runs. More than twice <see cref="HeartbeatInterval"/>.
    /// </summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The queues this node's workers take jobs from, in priority order: <c>"name"</c> shares the
    /// <see cref="WorkerCount"/> workers, <c>"name:N"</c> gives the queue N workers of its own
    /// (see <see cref="QueuePlan"/>). Empty (the default): <c>default</c> and every queue the
    /// node's functions name, all shared, including queues functions name later
    /// (<see cref="ServedQueues"/>).
    /// </summary>
    public string[] Queues { get; set; } = [];

    /// <summary>
    /// Without a <see cref="Queues"/> setting: how often the node looks for queues that functions
    /// saved on other nodes newly name, to take them up (one listing of the functions each time).
    /// A function saved on this node has its queue taken up at once.
    /// </summary>
    public TimeSpan QueueCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}
