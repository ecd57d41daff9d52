using System.ComponentModel;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Contracts;

[Description("Runs an execution inside the request. Every field is optional; an empty body is {}. Any other field is refused with 400.")]
public sealed record RunFunctionBody
{
    [Description("The function's input: a JSON object checked against its declared inputs.")]
    public JsonObject? Input { get; init; }
}
