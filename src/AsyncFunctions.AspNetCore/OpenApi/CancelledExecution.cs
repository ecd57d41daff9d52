using System.ComponentModel;
using AsyncFunctions.Executions;

namespace AsyncFunctions.AspNetCore.OpenApi;

[ExtendsSchema(typeof(ExecutionRecord))]
[Description("The cancelled execution's record; with children=true, also the ids of the descendants cancelled with it.")]
public sealed class CancelledExecution
{
    [Description("Present with children=true: the unfinished descendants that were cancelled.")]
    public IReadOnlyList<string>? CancelledChildren { get; init; }
}
