namespace AsyncFunctions.Executions;

/// <summary>
/// A run that stopped to wait without holding its worker: the saved state it resumes from, what
/// it waits for and when it resumes at the latest.
/// </summary>
/// <param name="Checkpoint">The function's saved state (opaque to the core; a function stack's state as JSON).</param>
/// <param name="WaitingFor">The execution ids whose end resumes it; empty for a sleep, which resumes at <paramref name="WakeAt"/> only.</param>
/// <param name="WakeAt">The await's deadline, or the end of the sleep.</param>
public sealed record Suspension(string Checkpoint, IReadOnlyList<string> WaitingFor, DateTimeOffset WakeAt)
{
    public bool IsSleep => WaitingFor.Count == 0;
}
