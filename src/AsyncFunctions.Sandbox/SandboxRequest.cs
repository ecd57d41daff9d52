namespace AsyncFunctions.Sandbox;

/// <summary>
/// One evaluation asked of a sandbox process: the script's text (an expression or a lambda body),
/// where it stands in the document, the bindings as JSON text and the limits.
/// </summary>
public sealed record SandboxRequest(
    string Path,
    string Source,
    bool IsLambda,
    string InputJson,
    string EnvJson,
    string AuthJson,
    string VarJson,
    SandboxLimits Limits);
