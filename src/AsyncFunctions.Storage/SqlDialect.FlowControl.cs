using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage;

/// <summary>
/// The statements of admission (<see cref="FlowControl.DapperFlowAdmissionStore"/>, db/*/0013):
/// slots, waiters and rate windows of limited functions. Every admission transaction begins with
/// <see cref="LockFlowFunctionSql"/>, a write of the function's lock row: the database holds that
/// row's lock until the transaction ends, so of two nodes admitting or releasing for one function,
/// the second reads what the first wrote. SQLite gets the same from its single writer.
/// </summary>
public abstract partial class SqlDialect
{
    /// <summary>Takes the function's admission lock, creating its row on first use (parameters: Function, At).</summary>
    public virtual string LockFlowFunctionSql => Statement(() => Upsert(new UpsertStatement
    {
        Table = "af_flow_locks",
        Keys = ["function_name"],
        Values = [new("function_name", "@Function"), new("locked_at", Timestamp("@At"))],
        Set = row => $"locked_at = {row.Incoming("locked_at")}",
    }));

    /// <summary>Records a key's limit as the latest start declares it (parameters: Scope, Key, Function, Capacity, At).</summary>
    public virtual string UpsertFlowKeySql => Statement(() => Upsert(new UpsertStatement
    {
        Table = "af_flow_keys",
        Keys = ["scope", "flow_key"],
        Values = [new("scope", "@Scope"), new("flow_key", "@Key"), new("function_name", "@Function"), new("capacity", "@Capacity"), new("updated_at", Timestamp("@At"))],
        Set = row => $"capacity = {row.Incoming("capacity")}, updated_at = {row.Incoming("updated_at")}",
    }));

    /// <summary>The slots an execution holds (parameters: Id); rows: Scope, Key, Hold.</summary>
    public virtual string ListHeldSlotsSql =>
        "SELECT scope AS Scope, flow_key AS FlowKey, hold_while_awaiting AS Hold FROM af_flow_slots WHERE execution_id = @Id";

    /// <summary>How many of an execution's waiter rows exist (parameters: Id).</summary>
    public virtual string CountWaiterRowsSql => "SELECT COUNT(*) FROM af_flow_waiters WHERE execution_id = @Id";

    /// <summary>A key's limit, holders and waiters (parameters: Scope, Key); one row: Capacity, Holders, Waiters.</summary>
    public virtual string ReadFlowKeySql => """
        SELECT k.capacity AS Capacity,
               (SELECT COUNT(*) FROM af_flow_slots s WHERE s.scope = k.scope AND s.flow_key = k.flow_key) AS Holders,
               (SELECT COUNT(*) FROM af_flow_waiters w WHERE w.scope = k.scope AND w.flow_key = k.flow_key) AS Waiters
        FROM af_flow_keys k WHERE k.scope = @Scope AND k.flow_key = @Key
        """;

    /// <summary>Gives an execution one slot (parameters: Scope, Key, Id, Function, Hold, At).</summary>
    public virtual string InsertSlotSql => Statement(() =>
        $"INSERT INTO af_flow_slots (scope, flow_key, execution_id, function_name, hold_while_awaiting, acquired_at) VALUES (@Scope, @Key, @Id, @Function, @Hold, {Timestamp("@At")})");

    /// <summary>Records an execution as a waiter of one limit (parameters: Scope, Key, Id, Function, Hold, At).</summary>
    public virtual string InsertWaiterSql => Statement(() =>
        $"INSERT INTO af_flow_waiters (scope, flow_key, execution_id, function_name, hold_while_awaiting, queued_at) VALUES (@Scope, @Key, @Id, @Function, @Hold, {Timestamp("@At")})");

    /// <summary>Frees an execution's slots; with @SuspendingOnly = 1 only those not held while awaiting (parameters: Id, SuspendingOnly).</summary>
    public virtual string DeleteSlotsSql =>
        "DELETE FROM af_flow_slots WHERE execution_id = @Id AND (@SuspendingOnly = 0 OR hold_while_awaiting = 0)";

    /// <summary>Removes an execution's waiter rows (parameters: Id).</summary>
    public virtual string DeleteWaiterRowsSql => "DELETE FROM af_flow_waiters WHERE execution_id = @Id";

    /// <summary>
    /// A release's first round trip, run in its transaction: <see cref="LockFlowFunctionSql"/>, the
    /// slots the execution holds (<see cref="ListHeldSlotsSql"/>, the batch's one result), those
    /// slots freed (<see cref="DeleteSlotsSql"/>) and, unless it is suspending, its waiter rows
    /// removed (parameters: Function, At, Id, SuspendingOnly).
    /// </summary>
    public string ReleaseHeldSlotsSql(bool suspending) => suspending
        ? Statement(() => Batch(LockFlowFunctionSql, ListHeldSlotsSql, DeleteSlotsSql), nameof(ReleaseHeldSlotsSql) + ".suspending")
        : Statement(() => Batch(LockFlowFunctionSql, ListHeldSlotsSql, DeleteSlotsSql, DeleteWaiterRowsSql));

    /// <summary>Hands a waiter of one limit its slot in one round trip: <see cref="InsertSlotSql"/>, then <see cref="DeleteWaiterRowsSql"/> (parameters: Scope, Key, Id, Function, Hold, At).</summary>
    public string GrantSlotSql => Statement(() => Batch(InsertSlotSql, DeleteWaiterRowsSql));

    /// <summary>Statements sent as one command, run in order (each database's client splits them; one round trip).</summary>
    protected static string Batch(params string[] statements) =>
        string.Join(";\n", statements.Select(s => s.TrimEnd().TrimEnd(';').TrimEnd()));

    /// <summary>The oldest waiters of one key (parameters: Scope, Key, Limit); rows: Id, Seq.</summary>
    public virtual string ListKeyWaitersSql => Statement(() =>
        Page("SELECT execution_id AS Id, seq AS Seq FROM af_flow_waiters WHERE scope = @Scope AND flow_key = @Key ORDER BY seq"));

    /// <summary>
    /// <see cref="ReadFlowKeySql"/> and <see cref="ListKeyWaitersSql"/> in one round trip: a key's
    /// limit and counts, then its oldest waiters (parameters: Scope, Key, Limit).
    /// </summary>
    public string ReadKeyAndWaitersSql => Statement(() => Batch(ReadFlowKeySql, ListKeyWaitersSql));

    /// <summary>Every waiter row of the list parameter @Ids, with its execution's queue (null when none is recorded); rows: Id, Scope, FlowKey, Function, Hold, Seq, QueuedAt, Queue.</summary>
    public virtual string ListWaiterRowsSql => Statement(() =>
        $"SELECT w.execution_id AS Id, w.scope AS Scope, w.flow_key AS FlowKey, w.function_name AS FunctionName, w.hold_while_awaiting AS Hold, w.seq AS Seq, w.queued_at AS QueuedAt, x.queue AS Queue FROM af_flow_waiters w LEFT JOIN af_executions x ON x.id = w.execution_id WHERE {InList("w.execution_id", "@Ids")}");

    /// <summary>The latest rate-limit starts of a key, newest first (parameters: Scope, Key, Since, Limit); rows: start times.</summary>
    public virtual string ListRecentStartsSql => Statement(() =>
        Page($"SELECT start_at AS StartAt FROM af_flow_rate WHERE scope = @Scope AND flow_key = @Key AND start_at > {Timestamp("@Since")} ORDER BY start_at DESC"));

    /// <summary>An execution's reservation not yet taken (parameters: Scope, Id); rows: Seq, StartAt.</summary>
    public virtual string FindReservationSql =>
        "SELECT seq AS Seq, start_at AS StartAt FROM af_flow_rate WHERE scope = @Scope AND execution_id = @Id AND taken = 0";

    /// <summary>The latest starts of a key that were taken (ran), newest first (parameters: Scope, Key, Since, Limit); rows: start times.</summary>
    public virtual string ListRecentTakenStartsSql => Statement(() =>
        Page($"SELECT start_at AS StartAt FROM af_flow_rate WHERE scope = @Scope AND flow_key = @Key AND taken = 1 AND start_at > {Timestamp("@Since")} ORDER BY start_at DESC"));

    /// <summary>Marks a reservation taken at the time the start really happens (parameters: Seq, StartAt).</summary>
    public virtual string TakeReservationSql => Statement(() => $"UPDATE af_flow_rate SET taken = 1, start_at = {Timestamp("@StartAt")} WHERE seq = @Seq");

    /// <summary>Moves a reservation not yet taken to a later window, keeping its place in line (parameters: Seq, StartAt).</summary>
    public virtual string MoveReservationSql => Statement(() => $"UPDATE af_flow_rate SET start_at = {Timestamp("@StartAt")} WHERE seq = @Seq");

    /// <summary>Counts a start, or reserves a later one (parameters: Scope, Key, Id, StartAt, Taken).</summary>
    public virtual string InsertStartSql => Statement(() =>
        $"INSERT INTO af_flow_rate (scope, flow_key, execution_id, start_at, taken) VALUES (@Scope, @Key, @Id, {Timestamp("@StartAt")}, @Taken)");

    /// <summary>Forgets rate-limit starts older than any window (parameters: Before).</summary>
    public virtual string ForgetOldStartsSql => Statement(() => $"DELETE FROM af_flow_rate WHERE start_at < {Timestamp("@Before")}");

    /// <summary>
    /// Slots whose holder no longer holds (parameters: OrphanedBefore): finished, scheduled for a
    /// retry, suspended without holding, or with no row at all once the slot is old enough to
    /// rule out a creation still under way. Rows: Id, Function, Suspended.
    /// </summary>
    public virtual string ListStaleSlotsSql => Statement(() => $"""
        SELECT DISTINCT s.execution_id AS Id, s.function_name AS FunctionName, CASE WHEN x.status = '{nameof(ExecutionStatus.Awaiting)}' THEN 1 ELSE 0 END AS Suspended
        FROM af_flow_slots s LEFT JOIN af_executions x ON x.id = s.execution_id
        WHERE (x.id IS NULL AND s.acquired_at < {Timestamp("@OrphanedBefore")})
           OR x.phase = {ExecutionStatusRules.FinishedPhase}
           OR x.status = '{nameof(ExecutionStatus.Scheduled)}'
           OR (x.status = '{nameof(ExecutionStatus.Awaiting)}' AND s.hold_while_awaiting = 0)
        """);

    /// <summary>Waiter rows whose execution finished or is gone (parameters: OrphanedBefore); rows: Id.</summary>
    public virtual string ListStaleWaitersSql => Statement(() => $"""
        SELECT DISTINCT w.execution_id FROM af_flow_waiters w LEFT JOIN af_executions x ON x.id = w.execution_id
        WHERE (x.id IS NULL AND w.queued_at < {Timestamp("@OrphanedBefore")}) OR x.phase = {ExecutionStatusRules.FinishedPhase}
        """);

    /// <summary>Keys with waiters and room (no parameters); rows: Scope, FlowKey, Function.</summary>
    public virtual string ListKeysWithRoomSql => """
        SELECT k.scope AS Scope, k.flow_key AS FlowKey, k.function_name AS FunctionName FROM af_flow_keys k
        WHERE EXISTS (SELECT 1 FROM af_flow_waiters w WHERE w.scope = k.scope AND w.flow_key = k.flow_key)
          AND k.capacity > (SELECT COUNT(*) FROM af_flow_slots s WHERE s.scope = k.scope AND s.flow_key = k.flow_key)
        """;

    /// <summary>Executions that hold slots while their record still says Waiting (no parameters): lost wake-ups. Rows: Id.</summary>
    public virtual string ListUnwokenHoldersSql => Statement(() => $"""
        SELECT DISTINCT s.execution_id FROM af_flow_slots s JOIN af_executions x ON x.id = s.execution_id
        WHERE x.status = '{nameof(ExecutionStatus.Waiting)}'
        """);

    /// <summary>Every key with its limit, holders and waiters (no parameters).</summary>
    public virtual string ListFlowUsageSql => """
        SELECT k.function_name AS FunctionName, k.scope AS Scope, k.flow_key AS FlowKey, k.capacity AS Capacity,
               (SELECT COUNT(*) FROM af_flow_slots s WHERE s.scope = k.scope AND s.flow_key = k.flow_key) AS Holders,
               (SELECT COUNT(*) FROM af_flow_waiters w WHERE w.scope = k.scope AND w.flow_key = k.flow_key) AS Waiters
        FROM af_flow_keys k ORDER BY k.function_name, k.scope, k.flow_key
        """;

    /// <summary>The limits an execution waits for, with their holders (parameters: Id).</summary>
    public virtual string DescribeWaitSql => """
        SELECT w.scope AS Scope, w.flow_key AS FlowKey, k.capacity AS Capacity,
               (SELECT COUNT(*) FROM af_flow_slots s WHERE s.scope = w.scope AND s.flow_key = w.flow_key) AS Holders,
               (SELECT COUNT(*) FROM af_flow_waiters o WHERE o.scope = w.scope AND o.flow_key = w.flow_key AND o.seq < w.seq) AS Ahead
        FROM af_flow_waiters w JOIN af_flow_keys k ON k.scope = w.scope AND k.flow_key = w.flow_key
        WHERE w.execution_id = @Id
        """;
}
