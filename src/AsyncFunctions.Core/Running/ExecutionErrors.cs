using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.Running;

/// <summary>Turns whatever a run threw into the error recorded with the execution.</summary>
public static class ExecutionErrors
{
    public static ExecutionError From(Exception exception) => exception switch
    {
        ExecutionFailedException failed => failed.Error,
        FunctionException function => new ExecutionError(function.GetType().Name, function.Message, function.Code, function.Details),
        InputValidationException invalid => new ExecutionError(invalid.GetType().Name, invalid.Message, ExecutionErrorCodes.InvalidInput),
        TimeoutException timeout => new ExecutionError(timeout.GetType().Name, timeout.Message, ExecutionErrorCodes.Timeout),
        OperationCanceledException cancelled => new ExecutionError(cancelled.GetType().Name, "The execution was cancelled.", ExecutionErrorCodes.Cancelled),
        AggregateException { InnerExceptions.Count: 1 } aggregate => From(aggregate.InnerExceptions[0]),
        _ => new ExecutionError(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, ExecutionErrorCodes.FunctionError),
    };
}
