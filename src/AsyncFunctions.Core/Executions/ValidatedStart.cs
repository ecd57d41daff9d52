using System.Text.Json.Nodes;
using AsyncFunctions.Functions;

namespace AsyncFunctions.Executions;

/// <summary>One start of a batch, checked and ready to queue: the function found, its input validated.</summary>
public sealed record ValidatedStart(FunctionDescriptor Function, JsonObject Input, StartRequest Request)
{
    /// <summary>The W3C id of the span that starts this execution, which its runs continue; null while nothing traces.</summary>
    public string? TraceParent { get; init; }
}
