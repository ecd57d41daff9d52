using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Schedules;
using Dapper;

namespace AsyncFunctions.Storage.Schedules;

/// <summary>The schedules over Dapper, for every database; the statements are the dialect's (SqlDialect.Schedules.cs).</summary>
public sealed class DapperScheduleStore(SqlDialect dialect) : IScheduleStore
{
    public Task<bool> SaveAsync(Schedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var parameters = new
        {
            schedule.Name,
            schedule.Function,
            Input = schedule.Input.ToJsonString(),
            schedule.Cron,
            schedule.TimeZone,
            Enabled = schedule.Enabled ? 1 : 0,
            Overlap = schedule.Overlap.ToString(),
            schedule.CallbackUrl,
            OwnerKey = schedule.Owner?.Key,
            OwnerRole = schedule.Owner?.Role,
            Declared = schedule.Declared ? 1 : 0,
            At = dialect.ToDb(StoredTime.Precise(schedule.UpdatedAt)),
        };
        return dialect.WriteAsync(
            async (connection, transaction) =>
            {
                var updated = await connection.ExecuteAsync(new CommandDefinition(dialect.UpdateScheduleSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                return updated == 0
                    && await connection.ExecuteAsync(new CommandDefinition(dialect.InsertScheduleSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
            },
            transactional: true,
            cancellationToken);
    }

    public async Task<Schedule?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ScheduleRow>(new CommandDefinition(dialect.GetScheduleSql, new { Name = name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null ? null : ToSchedule(row);
    }

    public async Task<IReadOnlyList<Schedule>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ScheduleRow>(new CommandDefinition(dialect.ListSchedulesSql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToSchedule).ToList();
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(dialect.DeleteScheduleSql, new { Name = name }, cancellationToken).ConfigureAwait(false) > 0;

    public async Task<bool> SetEnabledAsync(string name, bool enabled, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(dialect.SetScheduleEnabledSql, new { Name = name, Enabled = enabled ? 1 : 0, At = dialect.ToDb(StoredTime.Precise(at)) }, cancellationToken).ConfigureAwait(false) > 0;

    public Task RecordOccurrenceAsync(string name, string executionId, DateTimeOffset scheduledFor, CancellationToken cancellationToken = default) =>
        ExecuteAsync(dialect.RecordScheduleOccurrenceSql, new { Name = name, ExecutionId = executionId, At = dialect.ToDb(StoredTime.Precise(scheduledFor)) }, cancellationToken);

    public Task CountSkippedAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync(dialect.CountScheduleSkippedSql, new { Name = name }, cancellationToken);

    private Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        dialect.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)),
            transactional: false,
            cancellationToken);

    private Schedule ToSchedule(ScheduleRow row) => new()
    {
        Name = row.Name,
        Function = row.Function_Name,
        Input = JsonNode.Parse(row.Input) as JsonObject ?? [],
        Cron = row.Cron,
        TimeZone = row.Time_Zone,
        Enabled = row.Enabled != 0,
        Overlap = Enum.Parse<ScheduleOverlap>(row.Overlap),
        CallbackUrl = row.Callback_Url,
        Owner = row.Owner_Key is null ? null : new ExecutionCaller(row.Owner_Key, row.Owner_Role ?? ""),
        Declared = row.Declared != 0,
        CreatedAt = dialect.FromDb(row.Created_At),
        UpdatedAt = dialect.FromDb(row.Updated_At),
        LastRunAt = row.Last_Run_At is null ? null : dialect.FromDb(row.Last_Run_At),
        LastExecutionId = row.Last_Execution_Id,
        SkippedRuns = row.Skipped_Runs,
    };
}
