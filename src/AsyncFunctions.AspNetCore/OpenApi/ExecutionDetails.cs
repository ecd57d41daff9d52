using System.ComponentModel;
using AsyncFunctions.Executions;
using AsyncFunctions.Logging;

namespace AsyncFunctions.AspNetCore.OpenApi;

[ExtendsSchema(typeof(ExecutionRecord))]
[Description("An execution record with the messages its function logged.")]
public sealed class ExecutionDetails
{
    [Description("The messages the function logged, oldest first.")]
    public required IReadOnlyList<ExecutionLogEntry> Logs { get; init; }
}
