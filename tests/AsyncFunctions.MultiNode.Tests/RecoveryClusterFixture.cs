namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// The cluster of the recovery tests on PostgreSQL: Hangfire.PostgreSql's invisibility timeout at
/// five minutes, so a dead node's jobs can run again within the tests' time only through the node
/// takeover, not through Hangfire's own timeout. Node heartbeats keep their defaults (every 2 s,
/// dead after 10 s), so the figures measured here are those of a default deployment.
/// </summary>
public sealed class RecoveryClusterFixture() : ClusterFixture("af_recovery", new Dictionary<string, string>
{
    ["AsyncFunctions__Storage__PostgreSql__InvisibilityTimeout"] = "00:05:00",
    ["AsyncFunctions__Storage__PostgreSql__DistributedLockTimeout"] = "00:00:10",
});
