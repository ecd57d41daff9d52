using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage;

/// <summary>An unfinished async execution as <see cref="UnfinishedJobRows"/> reads it.</summary>
public sealed record UnfinishedJobRow(string Id, string Function, ExecutionStatus Status);
