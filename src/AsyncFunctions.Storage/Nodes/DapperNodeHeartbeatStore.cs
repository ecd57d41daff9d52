using AsyncFunctions.Executions;
using AsyncFunctions.Nodes;
using AsyncFunctions.Storage.SqlServer;
using Dapper;

namespace AsyncFunctions.Storage.Nodes;

/// <summary>
/// The nodes table (db/*/0012_nodes.sql) over Dapper. The takeover claim is one conditional
/// UPDATE: of the survivors racing for a silent node, the database lets exactly one change the
/// row, and none once the node beat again.
/// </summary>
public sealed class DapperNodeHeartbeatStore(SqlDialect dialect) : INodeHeartbeatStore
{
    private const string Columns =
        "node_id AS NodeId, server_id AS ServerId, started_at AS StartedAt, last_heartbeat_at AS LastHeartbeatAt, beats AS Beats, " +
        "taken_over_at AS TakenOverAt, taken_over_by AS TakenOverBy, taken_over_beats AS TakenOverBeats, taken_over_executions AS TakenOverExecutions";

    private const string Outcome = "beats AS Beats, taken_over_beats AS TakenOverBeats, taken_over_by AS TakenOverBy";

    private const string StandardBeatSql = $"""
        INSERT INTO af_nodes (node_id, server_id, started_at, last_heartbeat_at, beats) VALUES (@Node, @Server, @StartedAt, @At, 1)
        ON CONFLICT (node_id) DO UPDATE SET server_id = excluded.server_id, last_heartbeat_at = excluded.last_heartbeat_at, beats = af_nodes.beats + 1
        RETURNING {Outcome}
        """;

    // A node's id is new at every start and only the node itself writes its beats: no concurrent
    // first insert to guard against, so an UPDATE that found no row is followed by a plain INSERT.
    private const string SqlServerBeatSql = """
        SET XACT_ABORT ON;
        DECLARE @beat TABLE (Beats bigint NOT NULL, TakenOverBeats bigint NULL, TakenOverBy nvarchar(200) NULL);
        UPDATE af_nodes SET server_id = @Server, last_heartbeat_at = @At, beats = beats + 1
        OUTPUT inserted.beats, inserted.taken_over_beats, inserted.taken_over_by INTO @beat
        WHERE node_id = @Node;
        IF @@ROWCOUNT = 0
            INSERT INTO af_nodes (node_id, server_id, started_at, last_heartbeat_at, beats)
            OUTPUT inserted.beats, inserted.taken_over_beats, inserted.taken_over_by INTO @beat
            VALUES (@Node, @Server, @StartedAt, @At, 1);
        SELECT Beats, TakenOverBeats, TakenOverBy FROM @beat;
        """;

    private const string ClaimSql = """
        UPDATE af_nodes SET taken_over_at = @At, taken_over_by = @By, taken_over_beats = beats, taken_over_executions = 0
        WHERE node_id = @Node AND beats = @Observed AND (taken_over_beats IS NULL OR taken_over_beats <> beats)
        """;

    /// <summary>The SQL of a heartbeat in this database (read by the T-SQL parse tests).</summary>
    public string BeatSql => dialect is SqlServerDialect ? SqlServerBeatSql : StandardBeatSql;

    public async Task<NodeBeat> BeatAsync(string nodeId, string? serverId, DateTimeOffset startedAt, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var parameters = new { Node = nodeId, Server = serverId, StartedAt = dialect.ToDb(Precise(startedAt)), At = dialect.ToDb(Precise(at)) };
        var row = await dialect.WriteAsync(
            async (connection, transaction) => await connection.QuerySingleAsync<BeatRow>(new CommandDefinition(BeatSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false),
            transactional: false,
            cancellationToken).ConfigureAwait(false);
        return new NodeBeat(row.Beats, row.TakenOverBeats, row.TakenOverBy);
    }

    public async Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<NodeRow>(new CommandDefinition($"SELECT {Columns} FROM af_nodes ORDER BY started_at, node_id", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new NodeRecord(r.NodeId, r.ServerId, dialect.FromDb(r.StartedAt), dialect.FromDb(r.LastHeartbeatAt), r.Beats)
        {
            TakenOverAt = r.TakenOverAt is null ? null : dialect.FromDb(r.TakenOverAt),
            TakenOverBy = r.TakenOverBy,
            TakenOverBeats = r.TakenOverBeats,
            TakenOverExecutions = (int)r.TakenOverExecutions,
        }).ToList();
    }

    public Task<bool> ClaimTakeoverAsync(string nodeId, long observedBeats, string claimedBy, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        dialect.WriteRowAsync(ClaimSql, new { Node = nodeId, Observed = observedBeats, By = claimedBy, At = dialect.ToDb(Precise(at)) }, cancellationToken);

    public Task RecordTakenOverAsync(string nodeId, int executions, CancellationToken cancellationToken = default) =>
        dialect.WriteRowAsync("UPDATE af_nodes SET taken_over_executions = @Executions WHERE node_id = @Node", new { Node = nodeId, Executions = executions }, cancellationToken);

    public async Task MarkSyncRunsAsync(string nodeId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(dialect.MaxParameters - 1))
        {
            await dialect.WriteAsync(
                async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
                    $"UPDATE af_executions SET lease_node = @Node WHERE {dialect.InList("id", "@chunk")} AND phase < {ExecutionStatusRules.FinishedPhase}",
                    new { Node = nodeId, chunk },
                    transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false),
                transactional: false,
                cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<LeasedExecution>> ListSyncRunsAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Id, string Function)>(new CommandDefinition(
            $"SELECT id, function_name FROM af_executions WHERE lease_node = @Node AND phase < {ExecutionStatusRules.FinishedPhase} AND lease_expires_at IS NOT NULL",
            new { Node = nodeId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new LeasedExecution(r.Id, r.Function)).ToList();
    }

    public Task<int> ForgetAsync(DateTimeOffset heartbeatBefore, CancellationToken cancellationToken = default) =>
        dialect.WriteAsync(
            async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM af_nodes WHERE last_heartbeat_at < @Before",
                new { Before = dialect.ToDb(Precise(heartbeatBefore)) },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false),
            transactional: false,
            cancellationToken);

    private static DateTimeOffset Precise(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

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
