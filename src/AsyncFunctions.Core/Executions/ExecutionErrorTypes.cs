namespace AsyncFunctions.Executions;

/// <summary>
/// The <see cref="ExecutionError.Type"/> of an error: who ended the execution, in a fixed
/// platform word. The <see cref="ExecutionError.Code"/> says what happened.
/// </summary>
public static class ExecutionErrorTypes
{
    /// <summary>The function reported the error with a code: a C# FunctionException, a stack's error step or a stack limit.</summary>
    public const string Function = "function";

    /// <summary>The function's code threw an exception it did not handle (code <c>function.error</c>).</summary>
    public const string Unhandled = "unhandled";

    /// <summary>The platform ended or refused the execution: timeout, cancellation, a lost job, input that does not validate.</summary>
    public const string Platform = "platform";
}
