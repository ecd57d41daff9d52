using System.ComponentModel;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Contracts;

[Description("One page of executions, newest first.")]
public sealed record ExecutionList(
    IReadOnlyList<ExecutionRecord> Items,
    [property: Description("Pass as cursor for the next page; null on the last page.")] string? NextCursor);
