using System.Data.Common;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>Settings of the function-stack language; bound from <c>AsyncFunctions:Stacks</c>.</summary>
public sealed class FunctionStacksOptions
{
    public const string Section = "AsyncFunctions:Stacks";

    /// <summary>
    /// Folder of function documents (<c>*.json</c>) saved at start-up, relative to the working
    /// directory. Empty turns loading off.
    /// </summary>
    public string? Folder { get; set; } = "functions";

    /// <summary>
    /// The values stacks see as <c>$env</c>. Only what an administrator lists here is visible;
    /// nothing of the process environment is.
    /// </summary>
    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Host names request steps may reach even when they resolve to loopback, private or other
    /// non-public addresses (compared case-insensitively, exact names only).
    /// </summary>
    public List<string> AllowedHosts { get; } = [];

    /// <summary>
    /// Networks in CIDR notation ("10.20.0.0/16", "fd00:1::/64") request steps may reach although
    /// they lie in a special-purpose range (private, loopback, documentation, ...).
    /// </summary>
    public List<string> AllowedNetworks { get; } = [];

    public StackLimitOptions Limits { get; set; } = new();

    /// <summary>The processes that evaluate JavaScript (<c>AsyncFunctions:Stacks:Sandbox</c>).</summary>
    public SandboxOptions Sandbox { get; set; } = new();

    /// <summary>Database connections of query steps by name, from configuration.</summary>
    public Dictionary<string, StackConnectionOptions> Connections { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Database connections of query steps by name, registered in code for any ADO.NET driver.
    /// They win over <see cref="Connections"/> of the same name.
    /// </summary>
    public Dictionary<string, Func<DbConnection>> ConnectionFactories { get; } = new(StringComparer.Ordinal);

    /// <summary>Timeout of an await step that names none.</summary>
    public double DefaultAwaitTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// Longest timeout of an await step in an async execution, which suspends instead of holding
    /// its worker (at most 30 days). Sync runs keep the bound of 86,400 s.
    /// </summary>
    public double MaxSuspendedAwaitSeconds { get; set; } = 604_800;

    /// <summary>
    /// A sleep step longer than this, in an async execution, suspends the execution (it holds no
    /// worker and resumes through Hangfire's scheduler); a shorter one waits in place.
    /// </summary>
    public double SuspendSleepsLongerThanMilliseconds { get; set; } = 1000;

    /// <summary>Timeout of a request step that names none.</summary>
    public double DefaultRequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Timeout of a query step that names none.</summary>
    public int DefaultQueryTimeoutSeconds { get; set; } = 30;
}
