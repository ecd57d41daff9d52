using System.Text.Json.Nodes;
using AsyncFunctions.Functions;

namespace AsyncFunctions.Executions;

/// <summary>One start of a batch, checked and ready to queue: the function found, its input validated.</summary>
public sealed record ValidatedStart(FunctionDescriptor Function, JsonObject Input, StartRequest Request);
