using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage;

/// <summary>
/// The statements of the nodes table (<see cref="Nodes.DapperNodeHeartbeatStore"/>): heartbeats,
/// the takeover claim and the sync runs of each node. The claim is one conditional UPDATE: of the
/// survivors racing for a silent node, the database lets exactly one change the row.
/// </summary>
public abstract partial class SqlDialect
{
    /// <summary>The columns of a node's row, named as <see cref="Nodes.DapperNodeHeartbeatStore"/> maps them.</summary>
    public const string NodeColumns =
        "node_id AS NodeId, server_id AS ServerId, started_at AS StartedAt, last_heartbeat_at AS LastHeartbeatAt, beats AS Beats, " +
        "taken_over_at AS TakenOverAt, taken_over_by AS TakenOverBy, taken_over_beats AS TakenOverBeats, taken_over_executions AS TakenOverExecutions";

    /// <summary>
    /// Counts one heartbeat, inserting the node's row on its first (parameters: Node, Server,
    /// StartedAt, At); returns one row: Beats, TakenOverBeats, TakenOverBy.
    /// </summary>
    public virtual string NodeBeatSql => Statement(() => $"""
        INSERT INTO af_nodes (node_id, server_id, started_at, last_heartbeat_at, beats) VALUES (@Node, @Server, {Timestamp("@StartedAt")}, {Timestamp("@At")}, 1)
        ON CONFLICT (node_id) DO UPDATE SET server_id = excluded.server_id, last_heartbeat_at = excluded.last_heartbeat_at, beats = af_nodes.beats + 1
        RETURNING beats AS Beats, taken_over_beats AS TakenOverBeats, taken_over_by AS TakenOverBy
        """);

    /// <summary>Every node's row (no parameters).</summary>
    public virtual string ListNodesSql => $"SELECT {NodeColumns} FROM af_nodes ORDER BY started_at, node_id";

    /// <summary>
    /// Claims a node's takeover while its beat count is still @Observed and that count is not
    /// claimed yet (parameters: Node, Observed, By, At); one row changed means the claim won.
    /// </summary>
    public virtual string ClaimNodeSql => Statement(() => $"""
        UPDATE af_nodes SET taken_over_at = {Timestamp("@At")}, taken_over_by = @By, taken_over_beats = beats, taken_over_executions = 0
        WHERE node_id = @Node AND beats = @Observed AND (taken_over_beats IS NULL OR taken_over_beats <> beats)
        """);

    /// <summary>Records how many executions a takeover requeued or ended (parameters: Node, Executions).</summary>
    public virtual string RecordNodeTakenOverSql => "UPDATE af_nodes SET taken_over_executions = @Executions WHERE node_id = @Node";

    /// <summary>Marks the unfinished ids of the list parameter @Ids as sync runs of @Node (parameters: Node, Ids).</summary>
    public virtual string MarkNodeSyncRunsSql => Statement(() =>
        $"UPDATE af_executions SET lease_node = @Node WHERE phase < {ExecutionStatusRules.FinishedPhase} AND {InList("id", "@Ids")}");

    /// <summary>The unfinished sync runs marked as running on @Node (parameters: Node).</summary>
    public virtual string ListNodeSyncRunsSql =>
        $"SELECT id, function_name FROM af_executions WHERE lease_node = @Node AND phase < {ExecutionStatusRules.FinishedPhase} AND lease_expires_at IS NOT NULL";

    /// <summary>Deletes the rows of nodes silent since before @Before (parameters: Before).</summary>
    public virtual string ForgetNodesSql => "DELETE FROM af_nodes WHERE last_heartbeat_at < @Before";

    /// <summary>
    /// The ids of a job's fetched rows in Hangfire's queue table (Hangfire.PostgreSql's
    /// <c>jobqueue</c>, Hangfire.SqlServer's <c>JobQueue</c>; the same columns, unquoted names fold
    /// to either) in the schema <paramref name="hangfireSchema"/> (parameters: JobId).
    /// </summary>
    public virtual string FetchedQueueRowsSql(string hangfireSchema) =>
        $"SELECT id AS Id, fetchedat AS FetchedAt, {SecondsSince("fetchedat")} AS AgeSeconds FROM {HangfireTable(hangfireSchema, "jobqueue")} WHERE jobid = @JobId AND fetchedat IS NOT NULL";

    /// <summary>
    /// Stamps one of the job's fetched rows as fetched <c>@HoldSeconds</c> from now, by the database's
    /// clock (which the job storage's fetch and renewal also use), if it is still as it was read
    /// (parameters: JobId, Id, FetchedAt, HoldSeconds).
    /// </summary>
    public virtual string HoldQueueRowSql(string hangfireSchema) =>
        $"UPDATE {HangfireTable(hangfireSchema, "jobqueue")} SET fetchedat = {SecondsFromNow("@HoldSeconds")} WHERE jobid = @JobId AND id = @Id AND fetchedat = @FetchedAt";

    /// <summary>Seconds from <paramref name="column"/> (a fetch time Hangfire's SQL storages write) to the database's now.</summary>
    public virtual string SecondsSince(string column) => $"EXTRACT(EPOCH FROM (NOW() - {column}))";

    /// <summary>The database's now plus <paramref name="secondsParameter"/> seconds, as Hangfire's SQL storages write fetch times.</summary>
    public virtual string SecondsFromNow(string secondsParameter) => $"NOW() + make_interval(secs => {secondsParameter})";

    /// <summary>Deletes the job's rows of the list parameter @Ids from Hangfire's queue table (parameters: JobId, Ids).</summary>
    public virtual string DeleteQueueRowsSql(string hangfireSchema) =>
        $"DELETE FROM {HangfireTable(hangfireSchema, "jobqueue")} WHERE jobid = @JobId AND {InList("id", "@Ids")}";

    /// <summary>A table of Hangfire's schema, quoted as the job storage quotes the schema's name.</summary>
    public virtual string HangfireTable(string schema, string table) => $"{schema}.{table}";
}
