using System.Text.Json.Nodes;

namespace AsyncFunctions.Executions;

/// <summary>Why an execution failed.</summary>
/// <param name="Type">
/// Who ended it: <c>function</c> (the function reported it with a code), <c>unhandled</c> (its code
/// threw an exception it did not handle) or <c>platform</c> (timeout, cancellation, a lost job, ...); never a .NET type name.
/// </param>
/// <param name="Message">What happened, for people.</param>
/// <param name="Code">What happened, for programs: <c>execution.timeout</c>, <c>limit.js_memory</c>, a function's own code, ...</param>
/// <param name="Data">Details the code defines, or null.</param>
public sealed record ExecutionError(string Type, string Message, string Code, JsonNode? Data = null);
