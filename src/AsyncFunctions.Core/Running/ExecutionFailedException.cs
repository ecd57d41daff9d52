using AsyncFunctions.Executions;

namespace AsyncFunctions.Running;

/// <summary>Carries an execution's recorded error out of a run, so the job fails with exactly that error.</summary>
public sealed class ExecutionFailedException : Exception
{
    public ExecutionFailedException(ExecutionError error, Exception? innerException = null)
        : base(error.Message, innerException)
    {
        Error = error;
    }

    public ExecutionFailedException()
        : this(new ExecutionError(ExecutionErrorTypes.Function, "The execution failed.", ExecutionErrorCodes.FunctionError))
    {
    }

    public ExecutionFailedException(string message)
        : this(new ExecutionError(ExecutionErrorTypes.Function, message, ExecutionErrorCodes.FunctionError))
    {
    }

    public ExecutionFailedException(string message, Exception innerException)
        : this(new ExecutionError(ExecutionErrorTypes.Function, message, ExecutionErrorCodes.FunctionError), innerException)
    {
    }

    public ExecutionError Error { get; }
}
