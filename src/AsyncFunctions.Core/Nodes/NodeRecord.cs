namespace AsyncFunctions.Nodes;

/// <summary>
/// A node's row in the nodes table: its heartbeat and the last time another node took its work
/// over. A node whose <see cref="Beats"/> moved past <see cref="TakenOverBeats"/> came back after
/// the takeover and counts as alive again.
/// </summary>
/// <param name="NodeId">The node's id, new at every start of the process.</param>
/// <param name="ServerId">The Hangfire server id of the node's workers; null on a node that runs no jobs.</param>
public sealed record NodeRecord(
    string NodeId,
    string? ServerId,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeatAt,
    long Beats)
{
    public DateTimeOffset? TakenOverAt { get; init; }

    public string? TakenOverBy { get; init; }

    /// <summary>The beat count the takeover claimed; equal to <see cref="Beats"/> while the node stays silent.</summary>
    public long? TakenOverBeats { get; init; }

    /// <summary>How many executions the last takeover requeued or ended.</summary>
    public int TakenOverExecutions { get; init; }

    /// <summary>Whether the last takeover is still current: the node has not beaten since.</summary>
    public bool IsTakenOver => TakenOverBeats == Beats;
}
