namespace AsyncFunctions.Sandbox;

/// <summary>The value of an evaluation as UTF-8 JSON (null for undefined and null), or its error.</summary>
public sealed record SandboxResult(byte[]? Json, SandboxError? Error)
{
    public static SandboxResult Failed(SandboxError error) => new(null, error);
}
