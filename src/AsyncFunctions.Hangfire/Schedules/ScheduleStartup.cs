using AsyncFunctions.Schedules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Hangfire.Schedules;

/// <summary>
/// At start, once every other service started (the schema is applied and the function folder
/// loaded): saves the schedules declared in configuration (dropping declared ones no longer
/// there), then registers every enabled schedule with Hangfire. Where the job storage lost the
/// schedule's recurring job (the embedded default keeps jobs in memory), an occurrence missed
/// while the server was down is run once, as Hangfire itself does on a storage that kept it.
/// A declared schedule that is not valid stops the start with the field at fault.
/// </summary>
public sealed partial class ScheduleStartup(ScheduleService service, IConfiguration configuration, ILogger<ScheduleStartup> logger) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var store = service.Store;
        var now = service.Time.GetUtcNow();
        var declared = DeclaredSchedules.Read(configuration);
        foreach (var candidate in declared)
        {
            Schedule schedule;
            try
            {
                schedule = await service.CheckAsync(candidate, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ScheduleProblemException or Inputs.InputValidationException or AsyncFunctions.Webhooks.CallbacksNotConfiguredException)
            {
                throw new InvalidOperationException($"{DeclaredSchedules.Section}:{candidate.Name} is not valid: {ex.Message}", ex);
            }

            var existing = await store.GetAsync(schedule.Name, cancellationToken).ConfigureAwait(false);
            if (existing is { Declared: false })
            {
                throw new InvalidOperationException($"{DeclaredSchedules.Section}:{candidate.Name}: a schedule of that name was created through the API; delete it there or rename the declared one.");
            }

            // Its times change only when its definition does, so a restart does not look like an edit.
            var unchanged = existing is not null && SameDefinition(existing, schedule);
            if (!unchanged)
            {
                await store.SaveAsync(schedule with { CreatedAt = now, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
            }
        }

        var names = declared.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var schedule in await store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (schedule.Declared && !names.Contains(schedule.Name))
            {
                await store.DeleteAsync(schedule.Name, cancellationToken).ConfigureAwait(false);
                await service.UnregisterAsync(schedule.Name, cancellationToken).ConfigureAwait(false);
                LogUndeclared(logger, schedule.Name);
                continue;
            }

            var kept = await service.IsRegisteredAsync(schedule.Name, cancellationToken).ConfigureAwait(false);
            await service.RegisterAsync(schedule, cancellationToken).ConfigureAwait(false);
            if (schedule.Enabled && !kept)
            {
                await CatchUpAsync(schedule, now, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One run for the latest occurrence missed since the last one (or since it was saved or resumed).</summary>
    private async Task CatchUpAsync(Schedule schedule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (schedule.LastRunAt is not { } last)
        {
            return;
        }

        var since = last > schedule.UpdatedAt ? last : schedule.UpdatedAt;
        // Hangfire, registering it anew, fires ticks after its own "now" less a second; the catch-up covers those before.
        if (ScheduleTimetable.For(schedule).Latest(now.AddSeconds(-1)) is not { } missed || missed <= since)
        {
            return;
        }

        try
        {
            var record = await service.StartOccurrenceAsync(schedule, missed, cancellationToken).ConfigureAwait(false);
            LogCaughtUp(logger, schedule.Name, missed, record.Id);
        }
        catch (ScheduleConflictException)
        {
            LogCatchUpSkipped(logger, schedule.Name, missed);
        }
    }

    private static bool SameDefinition(Schedule a, Schedule b) =>
        a.Function == b.Function && a.Cron == b.Cron && a.TimeZone == b.TimeZone && a.Enabled == b.Enabled && a.Overlap == b.Overlap
        && a.CallbackUrl == b.CallbackUrl && a.Declared == b.Declared && System.Text.Json.Nodes.JsonNode.DeepEquals(a.Input, b.Input);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule} is no longer declared in configuration: deleted.")]
    private static partial void LogUndeclared(ILogger logger, string schedule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule}: the occurrence of {ScheduledFor:O}, missed while the server was down, runs now as execution {ExecutionId}.")]
    private static partial void LogCaughtUp(ILogger logger, string schedule, DateTimeOffset scheduledFor, string executionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule}: the missed occurrence of {ScheduledFor:O} was skipped, the previous execution has not finished.")]
    private static partial void LogCatchUpSkipped(ILogger logger, string schedule, DateTimeOffset scheduledFor);
}
