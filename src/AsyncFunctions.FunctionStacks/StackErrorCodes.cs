namespace AsyncFunctions.FunctionStacks;

/// <summary>The error codes the function-stack language raises itself.</summary>
public static class StackErrorCodes
{
    /// <summary>A stored document does not compile; the data lists the problems.</summary>
    public const string Invalid = "stack.invalid";

    /// <summary>A saved interpreter state does not fit the compiled function.</summary>
    public const string BadState = "stack.bad_state";

    public const string JsError = "js.error";
    public const string TypeError = "value.type";
    public const string VariablePath = "var.path";
    public const string UnknownVariable = "var.unknown";
    public const string Precondition = "precondition.failed";
    public const string Thrown = "stack.error";
    public const string UnknownFunction = "function.unknown";
    public const string InvalidInput = "input.invalid";
    public const string CallDepthExceeded = "call.depth_exceeded";
    public const string AwaitInvalid = "await.invalid";
    public const string AwaitFailed = "await.failed";
    public const string AwaitTimeout = "await.timeout";
    public const string AwaitUnknownIds = "await.unknown_ids";
    public const string RequestFailed = "request.failed";
    public const string RequestTimeout = "request.timeout";
    public const string RequestForbiddenHost = "request.forbidden_host";
    public const string RequestInvalid = "request.invalid";
    public const string QueryFailed = "query.failed";
    public const string QueryUnknownConnection = "query.unknown_connection";
    public const string QueryTimeout = "query.timeout";
    public const string QueryDenied = "query.denied";

    public const string LimitJsTimeout = "limit.js_timeout";
    public const string LimitJsMemory = "limit.js_memory";
    public const string LimitJsRecursion = "limit.js_recursion";
    public const string LimitJsDepth = "limit.js_depth";
    public const string LimitSteps = "limit.steps";
    public const string LimitLoop = "limit.loop";
    public const string LimitVariableSize = "limit.variable_size";
    public const string LimitOutputSize = "limit.output_size";
    public const string LimitStateSize = "limit.state_size";
    public const string LimitJsTotalTime = "limit.js_total_time";
    public const string LimitLogSize = "limit.log_size";
    public const string LimitAsyncCalls = "limit.async_calls";
    public const string LimitDatabaseSize = "limit.database_size";
}
