namespace AsyncFunctions.FunctionStacks.Http;

/// <summary>
/// Every request a request step sends names the execution that sent it in this header. Stacks
/// cannot set or remove it: receivers can trace a call to its execution, and the server can tell
/// its own stacks' requests from an operator's (its dashboard refuses them).
/// </summary>
public static class StackRequestHeader
{
    public const string Name = "AsyncFunctions-Execution";
}
