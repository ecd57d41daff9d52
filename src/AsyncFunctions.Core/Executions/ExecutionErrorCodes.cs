namespace AsyncFunctions.Executions;

/// <summary>The error codes the platform itself reports.</summary>
public static class ExecutionErrorCodes
{
    public const string FunctionError = "function.error";
    public const string Timeout = "execution.timeout";
    public const string Cancelled = "execution.cancelled";
    public const string Lost = "execution.lost";
    public const string UnknownFunction = "function.unknown";
    public const string InvalidInput = "input.invalid";
    public const string InputMissing = "execution.input_missing";
    /// <summary>Only C# functions, whose awaits hold their worker, can still meet it; see <see cref="ExecutionStatus.Awaiting"/>.</summary>
    public const string AwaitWorkersExhausted = "await.workers_exhausted";
    public const string AwaitTimeout = "await.timeout";
    public const string AwaitUnknownIds = "await.unknown_ids";
    public const string TreeExecutionsLimit = "limit.tree_executions";
}
