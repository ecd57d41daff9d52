namespace AsyncFunctions.Nodes;

/// <summary>What a heartbeat write found: the node's beat count and the count a takeover claimed, if any did.</summary>
public sealed record NodeBeat(long Beats, long? TakenOverBeats, string? TakenOverBy);
