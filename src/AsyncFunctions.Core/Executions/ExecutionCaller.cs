namespace AsyncFunctions.Executions;

/// <summary>
/// Who started an execution's tree of calls: the name of the API key and its role. Stored on
/// every execution of the tree (children inherit their parent's), shown to function stacks as
/// <c>$auth</c>, and what the REST API scopes an invoker's view by.
/// </summary>
/// <param name="Key">The name of the API key (never the key itself).</param>
/// <param name="Role">The key's role: <c>admin</c>, <c>invoker</c> or <c>viewer</c>.</param>
public sealed record ExecutionCaller(string Key, string Role)
{
    /// <summary>The role whose view is limited to its own key's executions.</summary>
    public const string ScopedRole = "invoker";

    /// <summary>True for an invoker: its tree may read and await only executions started by the same key.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsScoped => string.Equals(Role, ScopedRole, StringComparison.Ordinal);
}
