using AsyncFunctions.Executions;

namespace AsyncFunctions.Running;

/// <summary>Identity of a running execution.</summary>
/// <param name="RootId">The execution that began this one's tree of calls; null on the root itself.</param>
public sealed record ExecutionInfo(string Id, string Function, int? FunctionVersion, string? ParentId, int CallDepth, int Attempt, bool IsAsync, string? RootId = null)
{
    /// <summary>The root of this execution's tree: <see cref="RootId"/>, or this execution when it is the root.</summary>
    public string TreeRootId => RootId ?? Id;

    /// <summary>Who started the tree of calls; the executions this one starts inherit it.</summary>
    public ExecutionCaller? Caller { get; init; }
}
