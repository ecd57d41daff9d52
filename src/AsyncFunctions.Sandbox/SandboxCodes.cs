namespace AsyncFunctions.Sandbox;

/// <summary>The error codes an evaluation can end with; the same texts as the stack language's codes.</summary>
public static class SandboxCodes
{
    public const string JsError = "js.error";
    public const string JsResult = "js.result";
    public const string LimitJsTimeout = "limit.js_timeout";
    public const string LimitJsMemory = "limit.js_memory";
    public const string LimitJsRecursion = "limit.js_recursion";
    public const string LimitJsDepth = "limit.js_depth";
}
