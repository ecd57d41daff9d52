namespace AsyncFunctions.Hangfire.Nodes;

/// <summary>One run of a job on this node: the Processing state it started under and when.</summary>
public sealed record RunClaim(string JobId, string ServerId, string? WorkerId, long StartedTimestamp);
