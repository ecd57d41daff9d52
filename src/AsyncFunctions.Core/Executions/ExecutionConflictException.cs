namespace AsyncFunctions.Executions;

/// <summary>An action on an execution that its current state does not allow (HTTP 409): finished, retried already, a start still in progress.</summary>
public sealed class ExecutionConflictException : Exception
{
    public ExecutionConflictException(string title, string message)
        : base(message) => Title = title;

    public ExecutionConflictException()
        : this("Conflict", "The execution's state does not allow this.")
    {
    }

    public ExecutionConflictException(string message, Exception innerException)
        : base(message, innerException) => Title = "Conflict";

    /// <summary>A short summary for the problem's title.</summary>
    public string Title { get; }
}
