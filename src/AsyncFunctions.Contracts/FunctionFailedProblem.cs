using System.ComponentModel;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Contracts;

[Description("A start that could not be done: a sync run whose function failed (executionId and error say which and why), or an Idempotency-Key reused for another request (no executionId).")]
public sealed class FunctionFailedProblem : Problem
{
    [Description("The failed execution, for a sync run.")]
    public string? ExecutionId { get; init; }

    [Description("Why the sync run failed.")]
    public ExecutionError? Error { get; init; }
}
