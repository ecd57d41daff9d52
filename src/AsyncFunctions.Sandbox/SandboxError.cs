namespace AsyncFunctions.Sandbox;

/// <summary>
/// Why an evaluation failed. <see cref="Catchable"/> errors (a throw, a JavaScript error, a result
/// that is not JSON) can be caught by a try step; limits cannot.
/// </summary>
public sealed record SandboxError(string Code, string Message, string? DataJson, bool Catchable);
