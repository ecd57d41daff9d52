using AsyncFunctions.Executions;
using AsyncFunctions.Nodes;
using Dapper;

namespace AsyncFunctions.Storage.Nodes;

/// <summary>
/// The nodes table (db/*/0012_nodes.sql) over Dapper; the statements are the dialect's (see
/// <c>SqlDialect.Nodes.cs</c>).
/// </summary>
public sealed class DapperNodeHeartbeatStore(SqlDialect dialect) : INodeHeartbeatStore
{
    public async Task<NodeBeat> BeatAsync(string nodeId, string? serverId, DateTimeOffset startedAt, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var parameters = new { Node = nodeId, Server = serverId, StartedAt = dialect.ToDb(StoredTime.Precise(startedAt)), At = dialect.ToDb(StoredTime.Precise(at)) };
        var row = await dialect.WriteAsync(
            async (connection, transaction) => await connection.QuerySingleAsync<BeatRow>(new CommandDefinition(dialect.NodeBeatSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false),
            transactional: false,
            cancellationToken).ConfigureAwait(false);
        return new NodeBeat(row.Beats, row.TakenOverBeats, row.TakenOverBy);
    }

    public async Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<NodeRow>(new CommandDefinition(dialect.ListNodesSql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new NodeRecord(r.NodeId, r.ServerId, dialect.FromDb(r.StartedAt), dialect.FromDb(r.LastHeartbeatAt), r.Beats)
        {
            TakenOverAt = r.TakenOverAt is null ? null : dialect.FromDb(r.TakenOverAt),
            TakenOverBy = r.TakenOverBy,
            TakenOverBeats = r.TakenOverBeats,
            TakenOverExecutions = (int)r.TakenOverExecutions,
        }).ToList();
    }

    public Task<bool> ClaimTakeoverAsync(string nodeId, long observedBeats, string claimedBy, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        dialect.WriteRowAsync(dialect.ClaimNodeSql, new { Node = nodeId, Observed = observedBeats, By = claimedBy, At = dialect.ToDb(StoredTime.Precise(at)) }, cancellationToken);

    public Task RecordTakenOverAsync(string nodeId, int executions, CancellationToken cancellationToken = default) =>
        dialect.WriteRowAsync(dialect.RecordNodeTakenOverSql, new { Node = nodeId, Executions = executions }, cancellationToken);

    public async Task MarkSyncRunsAsync(string nodeId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(dialect.MaxParameters - 1))
        {
            await dialect.WriteAsync(
                async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
                    dialect.MarkNodeSyncRunsSql, new { Node = nodeId, Ids = chunk }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false),
                transactional: false,
                cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<LeasedExecution>> ListSyncRunsAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Id, string Function)>(new CommandDefinition(
            dialect.ListNodeSyncRunsSql, new { Node = nodeId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new LeasedExecution(r.Id, r.Function)).ToList();
    }

    public Task<int> ForgetAsync(DateTimeOffset heartbeatBefore, CancellationToken cancellationToken = default) =>
        dialect.WriteAsync(
            async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
                dialect.ForgetNodesSql, new { Before = dialect.ToDb(StoredTime.Precise(heartbeatBefore)) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false),
            transactional: false,
            cancellationToken);

    private sealed class BeatRow
    {
        public long Beats { get; init; }

        public long? TakenOverBeats { get; init; }

        public string? TakenOverBy { get; init; }
    }

    private sealed class NodeRow
    {
        public string NodeId { get; init; } = "";

        public string? ServerId { get; init; }

        public object StartedAt { get; init; } = 0L;

        public object LastHeartbeatAt { get; init; } = 0L;

        public long Beats { get; init; }

        public object? TakenOverAt { get; init; }

        public string? TakenOverBy { get; init; }

        public long? TakenOverBeats { get; init; }

        public long TakenOverExecutions { get; init; }
    }
}
