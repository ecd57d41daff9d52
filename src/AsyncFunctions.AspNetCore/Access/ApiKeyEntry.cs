namespace AsyncFunctions.AspNetCore.Access;

/// <summary>
/// One item of <c>AsyncFunctions:ApiKeys</c>: a named key with a role, given either as the key
/// itself (<see cref="Key"/>) or as <c>sha256:&lt;hex&gt;</c> of it (<see cref="KeyHash"/>).
/// </summary>
public sealed class ApiKeyEntry
{
    /// <summary>Who the key belongs to: recorded on the executions it starts and shown to stacks as <c>$auth.key</c>.</summary>
    public string? Name { get; set; }

    /// <summary><c>admin</c>, <c>invoker</c> or <c>viewer</c>.</summary>
    public string? Role { get; set; }

    /// <summary>The key in plain text; outside Development prefer <see cref="KeyHash"/>.</summary>
    public string? Key { get; set; }

    /// <summary><c>sha256:</c> followed by the 64 hex digits of the key's SHA-256.</summary>
    public string? KeyHash { get; set; }
}
