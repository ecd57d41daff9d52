namespace AsyncFunctions.Running;

/// <summary>Identity of a running execution.</summary>
public sealed record ExecutionInfo(string Id, string Function, int? FunctionVersion, string? ParentId, int CallDepth, int Attempt, bool IsAsync);
