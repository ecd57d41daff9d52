namespace AsyncFunctions.Running;

/// <summary>Limits of executions; bound from <c>AsyncFunctions:Execution</c>.</summary>
public sealed class ExecutionOptions
{
    public const string Section = "AsyncFunctions:Execution";

    /// <summary>How deep calls may nest, counting sync and async calls alike.</summary>
    public int MaxCallDepth { get; set; } = 32;

    /// <summary>
    /// Workers of this node; set by the host from <c>AsyncFunctions:Server:WorkerCount</c> and
    /// used to tell a starved await from a plain timeout.
    /// </summary>
    public int WorkerCount { get; set; }
}
