namespace AsyncFunctions.Storage.Schedules;

/// <summary>
/// The statements of <see cref="DapperScheduleStore"/>. Plain standard SQL that SQLite, PostgreSQL
/// and SQL Server read alike: the save is an UPDATE, then an INSERT ... WHERE NOT EXISTS, inside one
/// write, so a repeated save changes nothing twice; timestamps travel as the dialect converts them.
/// </summary>
internal static class ScheduleSql
{
    public const string Columns =
        "name, function_name, input, cron, time_zone, enabled, overlap, callback_url, owner_key, owner_role, declared, " +
        "created_at, updated_at, last_run_at, last_execution_id, skipped_runs";

    /// <summary>Replaces the definition; keeps the owner, the creation time and the run history.</summary>
    public const string Update = """
        UPDATE af_schedules SET function_name = @Function, input = @Input, cron = @Cron, time_zone = @TimeZone, enabled = @Enabled,
            overlap = @Overlap, callback_url = @CallbackUrl, declared = @Declared, updated_at = @At
        WHERE name = @Name
        """;

    public const string Insert = """
        INSERT INTO af_schedules (name, function_name, input, cron, time_zone, enabled, overlap, callback_url, owner_key, owner_role, declared, created_at, updated_at, skipped_runs)
        SELECT @Name, @Function, @Input, @Cron, @TimeZone, @Enabled, @Overlap, @CallbackUrl, @OwnerKey, @OwnerRole, @Declared, @At, @At, 0
        WHERE NOT EXISTS (SELECT 1 FROM af_schedules WHERE name = @Name)
        """;

    public const string Get = $"SELECT {Columns} FROM af_schedules WHERE name = @Name";

    public const string List = $"SELECT {Columns} FROM af_schedules ORDER BY name";

    public const string Delete = "DELETE FROM af_schedules WHERE name = @Name";

    public const string SetEnabled = "UPDATE af_schedules SET enabled = @Enabled, updated_at = @At WHERE name = @Name";

    /// <summary>Only forward: a later occurrence recorded first stays the last one.</summary>
    public const string RecordOccurrence = """
        UPDATE af_schedules SET last_run_at = @At, last_execution_id = @ExecutionId
        WHERE name = @Name AND (last_run_at IS NULL OR last_run_at <= @At)
        """;

    public const string CountSkipped = "UPDATE af_schedules SET skipped_runs = skipped_runs + 1 WHERE name = @Name";
}
