using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.Running;

/// <summary>Turns whatever a run threw into the error recorded with the execution (<see cref="ExecutionErrorTypes"/> for its type).</summary>
public static class ExecutionErrors
{
    public static ExecutionError From(Exception exception) => exception switch
    {
        ExecutionFailedException failed => failed.Error,
        // Codes under "execution." are the platform's own (its timeout is raised inside the run).
        FunctionException function => new ExecutionError(
            function.Code.StartsWith("execution.", StringComparison.Ordinal) ? ExecutionErrorTypes.Platform : ExecutionErrorTypes.Function,
            function.Message,
            function.Code,
            function.Details),
        InputValidationException invalid => new ExecutionError(ExecutionErrorTypes.Platform, invalid.Message, ExecutionErrorCodes.InvalidInput),
        TimeoutException timeout => new ExecutionError(ExecutionErrorTypes.Platform, timeout.Message, ExecutionErrorCodes.Timeout),
        OperationCanceledException => new ExecutionError(ExecutionErrorTypes.Platform, "The execution was cancelled.", ExecutionErrorCodes.Cancelled),
        AggregateException { InnerExceptions.Count: 1 } aggregate => From(aggregate.InnerExceptions[0]),

        // The record and the API carry codes, not .NET type names; the exception itself goes to the log.
        _ => new ExecutionError(ExecutionErrorTypes.Unhandled, exception.Message, ExecutionErrorCodes.FunctionError),
    };
}
