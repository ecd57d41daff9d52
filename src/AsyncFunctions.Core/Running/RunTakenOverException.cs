namespace AsyncFunctions.Running;

/// <summary>A queued run found, before writing, that its execution was taken over by another node: it ends without writing.</summary>
public sealed class RunTakenOverException(string executionId)
    : Exception($"Execution '{executionId}' was taken over by another node while this run was silent; this run ends without writing.")
{
    public string ExecutionId { get; } = executionId;
}
