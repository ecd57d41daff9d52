using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage;

/// <summary>
/// The statements of debounce (<see cref="Debounce.DapperDebounceStore"/>): one row of
/// <c>af_debounces</c> per function and key value while a pending execution collects starts. Every
/// decision is one conditional statement on that row, so two nodes racing for it are ordered by the
/// database: a fold and the claim of the execution's run lock the same row, and whichever commits
/// second sees the other's change.
/// </summary>
public abstract partial class SqlDialect
{
    /// <summary>The status a pending execution has while it collects starts.</summary>
    private static readonly string PendingStatus = ExecutionStatus.Scheduled.ToString();

    /// <summary>
    /// Moves the pending execution's run to @RunAt while it is still pending (parameters: Function,
    /// Key, RunAt); one row changed means the start folds into it. Run in the transaction of
    /// <see cref="DebouncePendingIdSql"/> and <see cref="DebounceInputSql"/>.
    /// </summary>
    public virtual string DebounceFoldSql => Statement(() => $"""
        UPDATE af_debounces SET run_at = {Timestamp("@RunAt")}
        WHERE function_name = @Function AND debounce_key = @Key AND execution_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM af_executions e WHERE e.id = af_debounces.execution_id AND e.status = '{PendingStatus}')
        """);

    /// <summary>The pending execution of a function and key (parameters: Function, Key).</summary>
    public virtual string DebouncePendingIdSql =>
        "SELECT execution_id FROM af_debounces WHERE function_name = @Function AND debounce_key = @Key";

    /// <summary>A folded start's input becomes the pending execution's (parameters: Id, Input).</summary>
    public virtual string DebounceInputSql => Statement(() =>
        $"UPDATE af_executions SET input = {Json("@Input")} WHERE id = @Id AND status = '{PendingStatus}'");

    /// <summary>
    /// Reserves the row of a function and key for a new pending execution when there is none
    /// (parameters: Function, Key, RunAt, Now); one row changed means this start creates it.
    /// </summary>
    public virtual string DebounceReserveSql => Statement(() => $"""
        INSERT INTO af_debounces (function_name, debounce_key, execution_id, run_at, reserved_at)
        VALUES (@Function, @Key, NULL, {Timestamp("@RunAt")}, {Timestamp("@Now")})
        ON CONFLICT (function_name, debounce_key) DO NOTHING
        """);

    /// <summary>
    /// Takes over a row whose execution is no longer pending (cancelled before its time) or whose
    /// reservation was made before @StaleBefore and never got its execution (its start died)
    /// (parameters: Function, Key, RunAt, Now, StaleBefore).
    /// </summary>
    public virtual string DebounceTakeOverSql => Statement(() => $"""
        UPDATE af_debounces SET execution_id = NULL, run_at = {Timestamp("@RunAt")}, reserved_at = {Timestamp("@Now")}
        WHERE function_name = @Function AND debounce_key = @Key
          AND ((execution_id IS NULL AND reserved_at < {Timestamp("@StaleBefore")})
            OR (execution_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM af_executions e WHERE e.id = af_debounces.execution_id AND e.status = '{PendingStatus}')))
        """);

    /// <summary>Names the execution a reservation created (parameters: Function, Key, Id).</summary>
    public virtual string DebounceAttachSql =>
        "UPDATE af_debounces SET execution_id = @Id WHERE function_name = @Function AND debounce_key = @Key AND execution_id IS NULL";

    /// <summary>Gives back a reservation whose execution could not be created (parameters: Function, Key).</summary>
    public virtual string DebounceReleaseSql =>
        "DELETE FROM af_debounces WHERE function_name = @Function AND debounce_key = @Key AND execution_id IS NULL";

    /// <summary>
    /// Ends folding into @Id when its time has come (parameters: Function, Key, Id, Now); no row
    /// deleted means a later start moved its run (read it with <see cref="DebounceRunAtSql"/>), or
    /// the row is gone.
    /// </summary>
    public virtual string DebounceClaimSql => Statement(() => $"""
        DELETE FROM af_debounces
        WHERE function_name = @Function AND debounce_key = @Key AND execution_id = @Id AND run_at <= {Timestamp("@Now")}
        """);

    /// <summary>When the pending execution @Id runs now (parameters: Function, Key, Id).</summary>
    public virtual string DebounceRunAtSql =>
        "SELECT run_at FROM af_debounces WHERE function_name = @Function AND debounce_key = @Key AND execution_id = @Id";
}
