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

    /// <summary>
    /// A release and its hand-over in one statement, sent in one round trip after
    /// <see cref="LockFlowFunctionSql"/> (parameters: Function, At, Id, SuspendingOnly); null where
    /// the database has no data-modifying <c>WITH</c> (SQLite, SQL Server), which take the batched
    /// path (<see cref="ReleaseHeldSlotsSql"/>, <see cref="ReadKeyAndWaitersSql"/>,
    /// <see cref="ListWaiterRowsSql"/>, <see cref="GrantSlotSql"/>). Rows: Id, FunctionName,
    /// QueuedAt, Queue, Seq of each waiter handed its slot, oldest first; or one row with
    /// <c>Complex = 1</c> and nothing changed, when a waiter at the head of a freed key's line
    /// waits for other limits too (the release then runs the batched path).
    /// </summary>
    public virtual string? ReleaseAndGrantSql(bool suspending) => null;

    /// <summary>
    /// <see cref="ReleaseAndGrantSql"/> with data-modifying <c>WITH</c> clauses (PostgreSQL). Run
    /// after the function's lock in the same transaction, it reads the counts as the lock left
    /// them. It does the common case, where the oldest waiters that fit a freed key's room wait for
    /// that limit alone: the room of each freed key (its limit less the holders that stay) goes to
    /// that many of its oldest waiters, which is what the general grant decides for them (nobody
    /// older needs the key). A waiter of several limits among them makes it change nothing and say
    /// so. All clauses read one snapshot, so the holder's own rows are left out by id, not by order.
    /// </summary>
    protected string DataModifyingReleaseAndGrantSql(bool suspending) => Statement(
        () => Batch(LockFlowFunctionSql, $"""
            WITH freed AS (
                SELECT scope, flow_key FROM af_flow_slots
                WHERE execution_id = @Id AND (@SuspendingOnly = 0 OR hold_while_awaiting = 0)
            ), keys AS (
                SELECT f.scope, f.flow_key,
                       k.capacity - (SELECT COUNT(*) FROM af_flow_slots s WHERE s.scope = f.scope AND s.flow_key = f.flow_key AND s.execution_id <> @Id) AS room
                FROM freed f JOIN af_flow_keys k ON k.scope = f.scope AND k.flow_key = f.flow_key
            ), chosen AS (
                SELECT w.seq, w.scope, w.flow_key, w.execution_id, w.function_name, w.hold_while_awaiting, w.queued_at
                FROM keys k CROSS JOIN LATERAL (
                    SELECT o.seq, o.scope, o.flow_key, o.execution_id, o.function_name, o.hold_while_awaiting, o.queued_at
                    FROM af_flow_waiters o
                    WHERE o.scope = k.scope AND o.flow_key = k.flow_key AND o.execution_id <> @Id
                    ORDER BY o.seq LIMIT GREATEST(k.room, 0)) w
            ), complex AS (
                SELECT 1 AS yes FROM chosen c
                WHERE EXISTS (SELECT 1 FROM af_flow_waiters o WHERE o.execution_id = c.execution_id AND o.seq <> c.seq)
                LIMIT 1
            ), released AS (
                DELETE FROM af_flow_slots
                WHERE execution_id = @Id AND (@SuspendingOnly = 0 OR hold_while_awaiting = 0) AND NOT EXISTS (SELECT 1 FROM complex)
                RETURNING 1
            ), left_line AS (
                DELETE FROM af_flow_waiters
                WHERE ({(suspending ? "" : "execution_id = @Id OR ")}seq IN (SELECT seq FROM chosen)) AND NOT EXISTS (SELECT 1 FROM complex)
                RETURNING 1
            ), handed AS (
                INSERT INTO af_flow_slots (scope, flow_key, execution_id, function_name, hold_while_awaiting, acquired_at)
                SELECT scope, flow_key, execution_id, function_name, hold_while_awaiting, {Timestamp("@At")} FROM chosen
                WHERE NOT EXISTS (SELECT 1 FROM complex)
                RETURNING 1
            )
            SELECT c.execution_id AS Id, c.function_name AS FunctionName, c.queued_at AS QueuedAt, x.queue AS Queue, c.seq AS Seq, 0 AS Complex
            FROM chosen c LEFT JOIN af_executions x ON x.id = c.execution_id
            WHERE NOT EXISTS (SELECT 1 FROM complex)
            UNION ALL
            SELECT NULL, NULL, NULL, NULL, 0, 1 FROM complex
            ORDER BY Seq
            """),
        nameof(ReleaseAndGrantSql) + (suspending ? ".suspending" : ""));

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
