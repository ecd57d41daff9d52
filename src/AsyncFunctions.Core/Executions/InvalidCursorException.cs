namespace AsyncFunctions.Executions;

/// <summary>Thrown by <see cref="IExecutionRecords.ListAsync"/> for a paging cursor the store did not issue.</summary>
public sealed class InvalidCursorException : Exception
{
    public InvalidCursorException(string cursor)
        : base($"'{cursor}' is not a cursor returned by this API.")
    {
    }

    public InvalidCursorException()
    {
    }

    public InvalidCursorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
