using System.ComponentModel;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Contracts;

[Description("One result per requested id, in request order. completed is false when the timeout passed first; unfinished executions then carry their current status.")]
public sealed record AwaitResult(
    [property: Description("True when every execution is finished.")] bool Completed,
    IReadOnlyList<ExecutionResult> Results);
