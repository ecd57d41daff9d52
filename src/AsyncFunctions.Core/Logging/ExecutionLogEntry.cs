using System.Text.Json.Nodes;

namespace AsyncFunctions.Logging;

/// <summary>A message a function logged while it ran.</summary>
public sealed record ExecutionLogEntry(DateTimeOffset At, string Level, string Message, JsonNode? Data = null);
