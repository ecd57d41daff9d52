using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Model;

namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>A step as the document writes it, handed to its kind's compile function.</summary>
/// <param name="Json">The step's object.</param>
/// <param name="Path">The step's path, for example <c>$.stack[3]</c>.</param>
/// <param name="Main">The value of the kind key, for example the condition of an "if".</param>
/// <param name="MainPath">The path of that value, for example <c>$.stack[3].if</c>.</param>
internal readonly record struct StepSource(JsonObject Json, string Path, JsonNode? Main, string MainPath, StepKind Kind);
