namespace AsyncFunctions.Nodes;

/// <summary>A node whose beat count has not moved for at least <see cref="SilentFor"/>, by the observer's clock.</summary>
public sealed record SilentNode(NodeRecord Node, TimeSpan SilentFor);
