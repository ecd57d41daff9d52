namespace AsyncFunctions.Executions;

/// <summary>One page of executions; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ExecutionPage(IReadOnlyList<ExecutionRecord> Items, string? NextCursor);
