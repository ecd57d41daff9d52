using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>An error raised inside a stack; what a catch block sees as <c>$var.error</c>.</summary>
public sealed record StackError(string Code, string Message, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? Data = null)
{
    public JsonObject ToJson() => new()
    {
        ["code"] = Code,
        ["message"] = Message,
        ["data"] = Data?.DeepClone(),
    };
}
