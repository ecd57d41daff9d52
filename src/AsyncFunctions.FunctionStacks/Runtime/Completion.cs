using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>An abrupt completion on its way out, kept on a try frame while its finally block runs.</summary>
public sealed record Completion(
    CompletionKind Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StackError? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? Value = null);
