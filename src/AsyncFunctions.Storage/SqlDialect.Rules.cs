using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage;

/// <summary>
/// The SQL twins of Core's rules, used inside the statements so that each rule is applied
/// atomically by the database. The storage contract tests check each twin against its C# rule on
/// every provider, case by case.
/// </summary>
public abstract partial class SqlDialect
{
    /// <summary>The stored status of a suspended execution.</summary>
    public const string AwaitingStatus = nameof(ExecutionStatus.Awaiting);

    /// <summary>
    /// <see cref="ExecutionStatusRules.Supersedes"/> as a condition over four SQL expressions: the
    /// incoming phase and time, and the stored ones.
    /// </summary>
    public static string Supersedes(string newPhase, string newAt, string currentPhase, string currentAt) =>
        $"(({newPhase} > {currentPhase} AND {currentPhase} < {ExecutionStatusRules.FinishedPhase}) OR ({newPhase} < {ExecutionStatusRules.FinishedPhase} AND {newAt} > {currentAt}))";

    /// <summary>
    /// <see cref="AwaitRules.NothingLeftToAwait"/> as a condition: no execution that
    /// <paramref name="waiter"/> (an expression of its id) waits for is unfinished. An awaited id
    /// without a row has no unfinished execution, as in the C# rule.
    /// </summary>
    public static string NothingLeftToAwait(string waiter) =>
        $"NOT EXISTS (SELECT 1 FROM af_execution_waits o JOIN af_executions c ON c.id = o.awaited_id WHERE o.waiter_id = {waiter} AND c.phase < {ExecutionStatusRules.FinishedPhase})";

    /// <summary>
    /// The SET expressions of a status write that keep a suspension's bookkeeping: a move from
    /// Awaiting back to pending is a resume (counted in resumes, and the start that follows is not
    /// an attempt: it keeps the attempt's start time and sets resumed_at instead), and a finished
    /// execution drops its checkpoint.
    /// </summary>
    protected static string SuspensionBookkeeping(UpsertRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var (incoming, stored) = (row.Incoming, row.Stored);
        var newPhase = incoming("phase");
        return $"""
            attempts = {stored("attempts")} + CASE WHEN {stored("resuming")} = 1 THEN 0 ELSE {incoming("attempts")} END,
                resumes = {stored("resumes")} + CASE WHEN {stored("status")} = '{AwaitingStatus}' AND {newPhase} = {ExecutionStatusRules.PendingPhase} THEN 1 ELSE 0 END,
                resuming = CASE WHEN {newPhase} = {ExecutionStatusRules.PendingPhase} AND ({stored("status")} = '{AwaitingStatus}' OR {stored("resuming")} = 1) THEN 1 ELSE 0 END,
                started_at = CASE WHEN {stored("resuming")} = 1 THEN COALESCE({stored("started_at")}, {incoming("started_at")}) ELSE COALESCE({incoming("started_at")}, {stored("started_at")}) END,
                resumed_at = CASE WHEN {stored("resuming")} = 1 AND {incoming("started_at")} IS NOT NULL THEN {incoming("started_at")} ELSE {stored("resumed_at")} END,
                saved_state = CASE WHEN {newPhase} = {ExecutionStatusRules.FinishedPhase} THEN NULL ELSE {stored("saved_state")} END
            """;
    }
}
