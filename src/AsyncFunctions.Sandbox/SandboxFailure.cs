namespace AsyncFunctions.Sandbox;

/// <summary>Carries a <see cref="SandboxError"/> out of a conversion to where the evaluation reports it.</summary>
internal sealed class SandboxFailure(SandboxError error) : Exception(error.Message)
{
    public SandboxError Error { get; } = error;
}
