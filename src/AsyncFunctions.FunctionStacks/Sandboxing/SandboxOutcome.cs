using AsyncFunctions.Sandbox;

namespace AsyncFunctions.FunctionStacks.Sandboxing;

/// <summary>How one request to a sandbox process ended: its reply, or the process ended at the deadline or on its own.</summary>
internal sealed record SandboxOutcome(SandboxResult? Reply, bool Last, bool TimedOut, bool Cancelled, int? ExitCode);
