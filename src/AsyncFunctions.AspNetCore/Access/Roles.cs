namespace AsyncFunctions.AspNetCore.Access;

/// <summary>The roles an API key may have, and the authorization policies built on them.</summary>
public static class Roles
{
    /// <summary>Everything: definitions, every execution, the dashboard, administration.</summary>
    public const string Admin = "admin";

    /// <summary>Starts executions and reads, awaits and acts on the ones its key started; reads definitions.</summary>
    public const string Invoker = AsyncFunctions.Executions.ExecutionCaller.ScopedRole;

    /// <summary>Reads everything and changes nothing; a read-only dashboard.</summary>
    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Invoker, Viewer];

    /// <summary>Policy: any valid key (every role reads).</summary>
    public const string ReadPolicy = "af.read";

    /// <summary>Policy: start executions (admin, invoker).</summary>
    public const string InvokePolicy = "af.invoke";

    /// <summary>Policy: change definitions and everything else (admin).</summary>
    public const string AdminPolicy = "af.admin";

    /// <summary>Policy: the dashboard (admin, viewer read-only), by key or by the sign-in cookie.</summary>
    public const string DashboardPolicy = "af.dashboard";
}
