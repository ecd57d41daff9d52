using AsyncFunctions.Hangfire.Startup;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Nodes;

/// <summary>
/// Answers, as a run ends, whether the job is still this run's: another node may have requeued
/// it while this node was silent (paused, starved) past <see cref="ServerOptions.NodeTimeout"/>.
/// Hangfire's worker moves a finished job on only from Processing, but not only from its own
/// Processing: once another worker took the requeued job, a stale outcome would replace the new
/// run's. A run whose job moved on ends without an outcome, as a run Hangfire aborted does.
/// The look at the job is skipped (no cost) while this node's heartbeat is fresh and no takeover
/// was noticed since the run began: then no survivor can have acted.
/// </summary>
public sealed class RunOwnership(NodeIdentity identity, RunOwners owners, JobStorage storage, IOptions<ServerOptions> options)
{
    public RunClaim Begin(string jobId, string serverId) => new(jobId, serverId, owners.Take(jobId), identity.Now());

    /// <summary>True when the job is no longer in the Processing state this run started under.</summary>
    public bool WasTakenOver(RunClaim run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!identity.MayHaveBeenTakenOver(run.StartedTimestamp, options.Value.NodeTimeout / 2))
        {
            return false;
        }

        using var connection = storage.GetConnection();
        var state = connection.GetStateData(run.JobId);
        if (state is null || !string.Equals(state.Name, ProcessingState.StateName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return !Matches(state.Data, "ServerId", run.ServerId) || (run.WorkerId is { } worker && !Matches(state.Data, "WorkerId", worker));
    }

    private static bool Matches(IDictionary<string, string> data, string key, string expected) =>
        data.TryGetValue(key, out var value) && string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);
}
