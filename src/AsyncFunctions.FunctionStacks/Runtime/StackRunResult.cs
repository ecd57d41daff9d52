using System.Text.Json.Nodes;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>
/// The end of one run: the stack finished with <see cref="Output"/>, or it suspended at an await
/// or a sleep step and <see cref="State"/> (with <see cref="StackState.Await"/> or
/// <see cref="StackState.Sleep"/> set) resumes it.
/// </summary>
public sealed record StackRunResult(bool Completed, JsonNode? Output, StackState State);
