using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Hangfire.Webhooks;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;
using AsyncFunctions.Schedules;
using AsyncFunctions.Telemetry;
using AsyncFunctions.Webhooks;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Schedules;

/// <summary>
/// Schedules as the API and the configuration manage them: each is checked when it is saved (cron,
/// time zone, function, input, callback), kept in the results database and registered with
/// Hangfire's <see cref="RecurringJobManager"/> under its name while it is enabled, so Hangfire's
/// recurring job scheduler fires it (see <see cref="ScheduleOccurrenceFilter"/>). An invoker sees
/// and manages only the schedules its key created; a declared schedule is read-only.
/// </summary>
public sealed partial class ScheduleService(
    IScheduleStore schedules,
    IExecutionStore executions,
    IFunctionCatalog catalog,
    IExecutionService starter,
    JobStorage storage,
    IJobFilterProvider filters,
    JobCreationThreads threads,
    TimeProvider time,
    IOptions<WebhookOptions> webhooks,
    ILogger<ScheduleService> logger)
{
    private RecurringJobManager? _manager;

    /// <summary>Hangfire's own manager over this host's storage and filters (not the dashboard's, which keeps the records in step).</summary>
    internal RecurringJobManager Manager => _manager ??= new RecurringJobManager(storage, filters);

    /// <summary>Checks a schedule and returns it with its input normalized (defaults filled in).</summary>
    public async Task<Schedule> CheckAsync(Schedule candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (!FunctionName.IsValid(candidate.Name))
        {
            throw new ScheduleProblemException("name", $"use 1 to {FunctionName.MaxLength} letters, digits, '.', '_' or '-'");
        }

        if (!FunctionName.IsValid(candidate.Function))
        {
            throw new ScheduleProblemException("function", "is required: the name of a function");
        }

        if (!ScheduleTimetable.TryCreate(candidate.Cron, candidate.TimeZone, out _, out var cronError, out var zoneError))
        {
            throw cronError is not null ? new ScheduleProblemException("cron", cronError) : new ScheduleProblemException("timeZone", zoneError!);
        }

        var function = await catalog.FindAsync(candidate.Function, cancellationToken).ConfigureAwait(false)
            ?? throw new ScheduleProblemException("function", $"no function is named '{candidate.Function}'");
        var input = InputValidator.Validate(candidate.Input, function.Inputs, out var problems);
        if (problems.Count > 0)
        {
            throw new InputValidationException(problems);
        }

        if (candidate.CallbackUrl is { } url)
        {
            if (CallbackUrl.Problem(url) is { } problem)
            {
                throw new ScheduleProblemException("callbackUrl", problem);
            }

            if (!webhooks.Value.HasSecret)
            {
                throw new CallbacksNotConfiguredException(candidate.Function);
            }
        }

        return candidate with { Input = input, TimeZone = string.IsNullOrWhiteSpace(candidate.TimeZone) ? "UTC" : candidate.TimeZone };
    }

    /// <summary>Creates or replaces a schedule through the API; the owner of an existing one stays.</summary>
    public async Task<(Schedule Schedule, bool Created)> SaveAsync(Schedule candidate, ExecutionCaller? caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var existing = await schedules.GetAsync(candidate.Name, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            EnsureChangeable(existing, caller);
        }

        var now = time.GetUtcNow();
        var schedule = await CheckAsync(candidate, cancellationToken).ConfigureAwait(false) with
        {
            Owner = existing is null ? caller : existing.Owner,
            Declared = false,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var created = await schedules.SaveAsync(schedule, cancellationToken).ConfigureAwait(false);
        var saved = await schedules.GetAsync(schedule.Name, cancellationToken).ConfigureAwait(false) ?? schedule;
        await RegisterAsync(saved, cancellationToken).ConfigureAwait(false);
        return (saved, created);
    }

    /// <summary>The schedule, when <paramref name="caller"/> may see it (an invoker sees its own key's).</summary>
    public async Task<Schedule> GetAsync(string name, ExecutionCaller? caller, CancellationToken cancellationToken = default)
    {
        var schedule = await schedules.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return schedule is not null && Sees(caller, schedule) ? schedule : throw new UnknownScheduleException(name);
    }

    public async Task<IReadOnlyList<Schedule>> ListAsync(ExecutionCaller? caller, CancellationToken cancellationToken = default) =>
        (await schedules.ListAsync(cancellationToken).ConfigureAwait(false)).Where(s => Sees(caller, s)).ToList();

    public async Task DeleteAsync(string name, ExecutionCaller? caller, CancellationToken cancellationToken = default)
    {
        var schedule = await GetAsync(name, caller, cancellationToken).ConfigureAwait(false);
        EnsureChangeable(schedule, caller);
        await schedules.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        await UnregisterAsync(name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pauses (no occurrence fires) or resumes (occurrences fire from the next tick on, none for the paused time).</summary>
    public async Task<Schedule> SetEnabledAsync(string name, bool enabled, ExecutionCaller? caller, CancellationToken cancellationToken = default)
    {
        var schedule = await GetAsync(name, caller, cancellationToken).ConfigureAwait(false);
        EnsureChangeable(schedule, caller);
        await schedules.SetEnabledAsync(name, enabled, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var updated = await schedules.GetAsync(name, cancellationToken).ConfigureAwait(false) ?? throw new UnknownScheduleException(name);
        await RegisterAsync(updated, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    /// <summary>
    /// Runs the schedule now, paused or not, as an occurrence at the current time. Under overlap
    /// "skip" while the previous execution runs, it is skipped and counted like a scheduled one.
    /// </summary>
    public async Task<ExecutionRecord> TriggerAsync(string name, ExecutionCaller? caller, CancellationToken cancellationToken = default)
    {
        var schedule = await GetAsync(name, caller, cancellationToken).ConfigureAwait(false);
        return await StartOccurrenceAsync(schedule, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts one occurrence through the ordinary start path (input checked again, caller the
    /// schedule's owner): a trigger, or the one catch-up run after downtime.
    /// </summary>
    internal async Task<ExecutionRecord> StartOccurrenceAsync(Schedule schedule, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        if (await ScheduleOverlapCheck.BlocksAsync(schedule, executions, cancellationToken).ConfigureAwait(false))
        {
            await schedules.CountSkippedAsync(schedule.Name, cancellationToken).ConfigureAwait(false);
            ScheduleTelemetry.Skipped.Add(1, ScheduleTelemetry.Schedule(schedule.Name));
            throw new ScheduleConflictException(
                ScheduleConflictException.OverlapCode,
                $"Schedule '{schedule.Name}' has overlap \"skip\" and its previous execution '{schedule.LastExecutionId}' has not finished; the run was skipped.");
        }

        using var activity = ScheduleTelemetry.StartOccurrence(schedule.Name, schedule.Function, scheduledFor);
        ExecutionRecord record;
        try
        {
            record = await starter.StartAsync(
                new StartRequest(schedule.Function, schedule.Input)
                {
                    Caller = schedule.Owner,
                    CallbackUrl = schedule.CallbackUrl,
                    Schedule = schedule.Name,
                    ScheduledFor = scheduledFor,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ScheduleTelemetry.Failed.Add(1, ScheduleTelemetry.Schedule(schedule.Name));
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            throw;
        }

        activity?.SetTag("asyncfunctions.execution.id", record.Id);
        await schedules.RecordOccurrenceAsync(schedule.Name, record.Id, scheduledFor, cancellationToken).ConfigureAwait(false);
        ScheduleTelemetry.Fired.Add(1, ScheduleTelemetry.Schedule(schedule.Name));
        return record;
    }

    /// <summary>Registers an enabled schedule with Hangfire (or removes a paused one); Hangfire keeps its run history when nothing changed.</summary>
    internal async Task RegisterAsync(Schedule schedule, CancellationToken cancellationToken)
    {
        if (!schedule.Enabled)
        {
            await UnregisterAsync(schedule.Name, cancellationToken).ConfigureAwait(false);
            return;
        }

        var function = await catalog.FindAsync(schedule.Function, cancellationToken).ConfigureAwait(false);
        var job = ScheduleJobs.For(schedule.Function, schedule.CallbackUrl ?? function?.CallbackUrl);
        var options = ScheduleJobs.Options(ScheduleTimetable.For(schedule).Zone);
        // Hangfire's calls are synchronous storage round trips: made on the job-creation threads, not the thread pool.
        await threads.RunAsync(
            () =>
            {
                Manager.AddOrUpdate(schedule.Name, job, schedule.Cron, options);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    internal Task UnregisterAsync(string name, CancellationToken cancellationToken) =>
        threads.RunAsync(
            () =>
            {
                Manager.RemoveIfExists(name);
                return true;
            },
            cancellationToken);

    /// <summary>Whether Hangfire's storage has the schedule's recurring job (the embedded default's in-memory storage loses them at a restart).</summary>
    internal Task<bool> IsRegisteredAsync(string name, CancellationToken cancellationToken) =>
        threads.RunAsync(
            () =>
            {
                using var connection = storage.GetConnection();
                return connection.GetAllEntriesFromHash("recurring-job:" + name) is { Count: > 0 };
            },
            cancellationToken);

    internal IScheduleStore Store => schedules;

    internal TimeProvider Time => time;

    internal ILogger Logger => logger;

    private static bool Sees(ExecutionCaller? caller, Schedule schedule) =>
        caller is not { IsScoped: true } || string.Equals(schedule.Owner?.Key, caller.Key, StringComparison.Ordinal);

    private static void EnsureChangeable(Schedule existing, ExecutionCaller? caller)
    {
        if (existing.Declared)
        {
            throw new ScheduleConflictException(
                ScheduleConflictException.DeclaredCode,
                $"Schedule '{existing.Name}' is declared in configuration (AsyncFunctions:Schedules:{existing.Name}) and is read-only through the API; change it there.");
        }

        if (!Sees(caller, existing))
        {
            throw new ScheduleConflictException(ScheduleConflictException.OwnerCode, $"Schedule '{existing.Name}' belongs to another key.");
        }
    }
}
