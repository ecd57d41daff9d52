using System.Globalization;

namespace AsyncFunctions.Storage;

/// <summary>
/// What the nodes of one deployment may open to their database server at most, set against what
/// the server accepts. Every node opens the same: its pool (shared by Hangfire and the results
/// store) plus the dedicated listening connections outside the pool.
/// </summary>
/// <param name="Parts">Each part of one node's connections: what it is (naming the setting behind it) and how many.</param>
/// <param name="Nodes">How many nodes share the server, and the setting that says so.</param>
/// <param name="Allowed">How many connections the server accepts from this login.</param>
/// <param name="AllowedBecause">Where <paramref name="Allowed"/> comes from (max_connections less the reserved ones, the role's limit).</param>
public sealed record ConnectionBudget(
    IReadOnlyList<(string What, int Count)> Parts,
    (int Count, string Setting) Nodes,
    int Allowed,
    string AllowedBecause)
{
    /// <summary>The connections one node may hold at once.</summary>
    public int PerNode => Parts.Sum(p => p.Count);

    /// <summary>The connections all nodes may hold at once.</summary>
    public int Total => PerNode * Nodes.Count;

    public bool Fits => Total <= Allowed;

    /// <summary>One sentence with every figure and the setting behind it.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Nodes.Count} node(s) ({Nodes.Setting}) x {PerNode} connections each ({string.Join(" + ", Parts.Select(p => $"{p.Count} {p.What}"))}) = {Total}; the server accepts {Allowed} ({AllowedBecause})");

    /// <summary>Throws, naming the settings to change, when the nodes could open more connections than the server accepts.</summary>
    public void EnsureFits(string advice)
    {
        if (!Fits)
        {
            throw new InvalidOperationException($"Too many database connections: {Describe()}. {advice}");
        }
    }
}
