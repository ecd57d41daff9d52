namespace AsyncFunctions.Storage;

/// <summary>
/// The statements of schedules (<see cref="Schedules.DapperScheduleStore"/>). Standard SQL that
/// all three databases read alike: a save is an UPDATE, then an INSERT ... WHERE NOT EXISTS, in one
/// write, so a repeated save changes nothing twice.
/// </summary>
public abstract partial class SqlDialect
{
    /// <summary>The columns every query of a schedule reads.</summary>
    public const string ScheduleColumns =
        "name, function_name, input, cron, time_zone, enabled, overlap, callback_url, owner_key, owner_role, declared, " +
        "created_at, updated_at, last_run_at, last_execution_id, skipped_runs";

    /// <summary>
    /// Replaces a schedule's definition, keeping its owner, creation time and run history
    /// (parameters: Name, Function, Input, Cron, TimeZone, Enabled, Overlap, CallbackUrl, Declared, At).
    /// </summary>
    public virtual string UpdateScheduleSql => """
        UPDATE af_schedules SET function_name = @Function, input = @Input, cron = @Cron, time_zone = @TimeZone, enabled = @Enabled,
            overlap = @Overlap, callback_url = @CallbackUrl, declared = @Declared, updated_at = @At
        WHERE name = @Name
        """;

    /// <summary>Inserts a schedule unless one has the name (the parameters of <see cref="UpdateScheduleSql"/>, and OwnerKey, OwnerRole).</summary>
    public virtual string InsertScheduleSql => """
        INSERT INTO af_schedules (name, function_name, input, cron, time_zone, enabled, overlap, callback_url, owner_key, owner_role, declared, created_at, updated_at, skipped_runs)
        SELECT @Name, @Function, @Input, @Cron, @TimeZone, @Enabled, @Overlap, @CallbackUrl, @OwnerKey, @OwnerRole, @Declared, @At, @At, 0
        WHERE NOT EXISTS (SELECT 1 FROM af_schedules WHERE name = @Name)
        """;

    /// <summary>One schedule (parameters: Name).</summary>
    public virtual string GetScheduleSql => $"SELECT {ScheduleColumns} FROM af_schedules WHERE name = @Name";

    /// <summary>Every schedule by name.</summary>
    public virtual string ListSchedulesSql => $"SELECT {ScheduleColumns} FROM af_schedules ORDER BY name";

    /// <summary>Deletes a schedule (parameters: Name).</summary>
    public virtual string DeleteScheduleSql => "DELETE FROM af_schedules WHERE name = @Name";

    /// <summary>Pauses or resumes a schedule (parameters: Name, Enabled, At).</summary>
    public virtual string SetScheduleEnabledSql => "UPDATE af_schedules SET enabled = @Enabled, updated_at = @At WHERE name = @Name";

    /// <summary>
    /// Records the execution of an occurrence, only forward: a later occurrence recorded first
    /// stays the last one (parameters: Name, ExecutionId, At).
    /// </summary>
    public virtual string RecordScheduleOccurrenceSql => """
        UPDATE af_schedules SET last_run_at = @At, last_execution_id = @ExecutionId
        WHERE name = @Name AND (last_run_at IS NULL OR last_run_at <= @At)
        """;

    /// <summary>Counts one skipped occurrence (parameters: Name).</summary>
    public virtual string CountScheduleSkippedSql => "UPDATE af_schedules SET skipped_runs = skipped_runs + 1 WHERE name = @Name";
}
