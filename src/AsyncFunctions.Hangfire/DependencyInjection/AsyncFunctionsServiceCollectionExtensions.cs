using AsyncFunctions.Definitions;
using AsyncFunctions.DependencyInjection;
using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Control;
using AsyncFunctions.Hangfire.Filters;
using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Hangfire.Resuming;
using AsyncFunctions.Hangfire.Startup;
using AsyncFunctions.Storage;
using AsyncFunctions.Logging;
using AsyncFunctions.Maintenance;
using AsyncFunctions.Recording;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.DependencyInjection;

public static class AsyncFunctionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds AsyncFunctions on Hangfire: <c>services.AddAsyncFunctions(o => o.UseSqlite(...).AddFunction&lt;SendEmail&gt;("send_email"))</c>.
    /// </summary>
    public static IServiceCollection AddAsyncFunctions(this IServiceCollection services, Action<AsyncFunctionsBuilder> configure)
    {
        var builder = new AsyncFunctionsBuilder(services);
        configure(builder);
        var provider = builder.Storage ?? throw new InvalidOperationException(
            "AddAsyncFunctions needs a storage provider: call UseSqlite, UsePostgreSql or UseSqlServer on the builder.");

        services.AddAsyncFunctionsCore();
        services.AddSingleton(provider);
        services.TryAddSingleton(sp => provider.CreateDialect(sp));
        services.TryAddSingleton<IExecutionStore>(sp => new DapperExecutionStore(sp.GetRequiredService<SqlDialect>()));

        // Each part of the results table is the one store, so a replaced IExecutionStore replaces all of them.
        services.TryAddSingleton<IExecutionRecords>(sp => sp.GetRequiredService<IExecutionStore>());
        services.TryAddSingleton<ISuspensionStore>(sp => sp.GetRequiredService<IExecutionStore>());
        services.TryAddSingleton<IIdempotencyStore>(sp => sp.GetRequiredService<IExecutionStore>());
        services.TryAddSingleton<IExecutionMaintenanceStore>(sp => sp.GetRequiredService<IExecutionStore>());
        services.TryAddSingleton<IFunctionDefinitionStore, DapperFunctionDefinitionStore>();
        services.TryAddSingleton<IExecutionLogStore, DapperExecutionLogStore>();
        services.TryAddSingleton<AsyncFunctions.Webhooks.ICallbackStore>(sp => new DapperCallbackStore(sp.GetRequiredService<SqlDialect>()));
        services.TryAddSingleton<AsyncFunctions.Access.ISignedOutSessionStore>(sp =>
            new DapperSignedOutSessionStore(sp.GetRequiredService<SqlDialect>(), sp.GetRequiredService<TimeProvider>()));

        // Our own storage and filter provider go in before AddHangfire, whose TryAdd would
        // otherwise fall back to the static JobStorage.Current and GlobalJobFilters.
        services.TryAddSingleton(sp => provider.CreateJobStorage(sp));
        services.TryAddSingleton<ExecutionStateFilter>();
        services.TryAddSingleton<ExecutionRetryFilter>();
        services.TryAddSingleton<ExecutionSuspensionFilter>();
        services.TryAddSingleton<ExecutionQueue>();
        services.TryAddSingleton<AsyncFunctions.FlowControl.IDebounceStore>(sp => new AsyncFunctions.Storage.Debounce.DapperDebounceStore(sp.GetRequiredService<SqlDialect>()));
        services.TryAddSingleton<DebounceClaimFilter>();
        services.TryAddSingleton<ResumeRequests>();
        services.TryAddSingleton<AsyncFunctions.Hangfire.Webhooks.WebhookJobs>();
        // Hangfire's reactions to a status change, beside the core's (see StatusChangeOrder).
        services.AddSingleton<IStatusChangeObserver>(sp => sp.GetRequiredService<ResumeRequests>());
        services.AddSingleton<IStatusChangeObserver>(sp => sp.GetRequiredService<AsyncFunctions.Hangfire.Webhooks.WebhookJobs>());
        services.TryAddSingleton<RunningExecutions>();
        services.TryAddSingleton<IExecutionControl, HangfireExecutionControl>();
        services.TryAddSingleton<AsyncFunctions.Hangfire.Webhooks.WebhookRetry>();
        services.TryAddSingleton<AsyncFunctions.Schedules.IScheduleStore>(sp => new AsyncFunctions.Storage.Schedules.DapperScheduleStore(sp.GetRequiredService<SqlDialect>()));
        services.TryAddSingleton<Schedules.ScheduleOccurrenceFilter>();
        services.TryAddSingleton<Schedules.ScheduleService>();
        // The dashboard asks for this factory first: its Recurring Jobs buttons then keep the schedules in step.
        services.TryAddSingleton<Schedules.ScheduleRecurringJobManagerFactory>();
        services.TryAddSingleton<IRecurringJobManagerFactory>(sp => sp.GetRequiredService<Schedules.ScheduleRecurringJobManagerFactory>());
        services.TryAddSingleton<IRecurringJobManagerFactoryV2>(sp => sp.GetRequiredService<Schedules.ScheduleRecurringJobManagerFactory>());
        FlowControl.AdmissionComposition.AddAdmission(services);
        services.TryAddSingleton<ExecutionFilterProvider>();
        services.TryAddSingleton<IJobFilterProvider>(sp => sp.GetRequiredService<ExecutionFilterProvider>());
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(HangfireLogRouter.Instance));

        services.TryAddTransient<ExecutionJob>();
        services.TryAddTransient<AsyncFunctions.Hangfire.Webhooks.WebhookDeliveryJob>();
        AsyncFunctions.Hangfire.Webhooks.WebhookComposition.AddWebhookOptions(services);
        services.TryAddSingleton(sp => new JobCreationThreads(sp.GetRequiredService<IOptions<ServerOptions>>().Value.JobCreationThreads));
        services.TryAddSingleton<IExecutionStarter, HangfireExecutionStarter>();
        services.TryAddSingleton<Running.IWorkerCapacity, HangfireWorkerCapacity>();
        services.TryAddSingleton<ServedQueues>();
        services.AddSingleton<IDefinitionSaveObserver>(sp => sp.GetRequiredService<ServedQueues>());

        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>());
        services.AddOptions<Running.ExecutionOptions>()
            .BindConfiguration(Running.ExecutionOptions.Section)
            .Validate(o => o.SyncRunLease >= TimeSpan.FromSeconds(1), $"{Running.ExecutionOptions.Section}:SyncRunLease must be at least 00:00:01.")
            .Validate(o => o.MaxCallDepth >= 0, $"{Running.ExecutionOptions.Section}:MaxCallDepth must not be negative.")
            .Validate(o => o.MaxTreeExecutions >= 1, $"{Running.ExecutionOptions.Section}:MaxTreeExecutions must be at least 1.")
            .Validate(o => o.ResumeSweepInterval >= TimeSpan.FromMilliseconds(10), $"{Running.ExecutionOptions.Section}:ResumeSweepInterval must be at least 00:00:00.01.")
            .Validate(o => o.DefaultTimeout > TimeSpan.Zero && o.DefaultTimeout <= TimeSpan.FromDays(7), $"{Running.ExecutionOptions.Section}:DefaultTimeout must be more than 0 and at most 7.00:00:00.")
            .ValidateOnStart();
        const string retention = RetentionOptions.Section;
        services.AddOptions<RetentionOptions>().BindConfiguration(retention)
            .Validate(o => o.Executions >= TimeSpan.Zero, $"{retention}:Executions must not be negative (0 keeps records forever).")
            .Validate(o => o.PurgeInterval >= TimeSpan.FromSeconds(1), $"{retention}:PurgeInterval must be at least 00:00:01.")
            .Validate(o => o.BatchSize is >= 1 and <= 900, $"{retention}:BatchSize must be between 1 and 900.")
            .Validate(o => o.JobExpiration is null || o.JobExpiration >= TimeSpan.FromMinutes(1), $"{retention}:JobExpiration must be at least 00:01:00.")
            .Validate(o => o.JobExpiration is null || o.Executions == TimeSpan.Zero || o.JobExpiration <= o.Executions, $"{retention}:JobExpiration must not exceed {retention}:Executions: a job would outlive its record.")
            .ValidateOnStart();
        const string awaitSection = Awaiting.AwaitOptions.Section;
        services.AddOptions<Awaiting.AwaitOptions>().BindConfiguration(awaitSection)
            .Validate(o => o.MaxIds is >= 1 and <= 100_000, $"{awaitSection}:MaxIds must be between 1 and 100000.")
            .Validate(o => o.MaxTimeout > TimeSpan.Zero, $"{awaitSection}:MaxTimeout must be positive.")
            .Validate(o => o.PollMinInterval >= TimeSpan.FromMilliseconds(1), $"{awaitSection}:PollMinInterval must be at least 00:00:00.001.")
            .Validate(o => o.PollMaxInterval >= o.PollMinInterval, $"{awaitSection}:PollMaxInterval must be at least PollMinInterval.")
            .Validate(o => o.PollBatchSize >= 1, $"{awaitSection}:PollBatchSize must be positive.")
            .ValidateOnStart();

        // Hosted services start in registration order: the schema first, then the workers.
        services.AddHostedService<HangfireLogRouting>();
        services.AddHostedService<StorageInitializer>();
        services.AddHostedService<WorkerHostedService>();
        services.AddHostedService<SyncRunLeaseKeeper>();
        services.TryAddSingleton(sp => new UnfinishedJobRows(sp.GetRequiredService<SqlDialect>()));
        services.AddOptions<LostJobSweepOptions>().BindConfiguration(LostJobSweepOptions.Section)
            .Validate(o => o.Interval >= TimeSpan.Zero, $"{LostJobSweepOptions.Section}:Interval must not be negative (0 turns the sweep off).")
            .Validate(o => o.MinAge >= TimeSpan.FromSeconds(1), $"{LostJobSweepOptions.Section}:MinAge must be at least 00:00:01.")
            .Validate(o => o.BatchSize is >= 1 and <= 1000, $"{LostJobSweepOptions.Section}:BatchSize must be between 1 and 1000.")
            .ValidateOnStart();
        services.TryAddSingleton<LostJobSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<LostJobSweeper>());
        Nodes.NodeRecoveryComposition.AddNodeRecovery(services);
        services.TryAddSingleton<SuspensionResumer>();
        Dashboard.SuspendedStateRenderer.Register();
        services.AddHostedService(sp => sp.GetRequiredService<SuspensionResumer>());
        services.AddHostedService(sp => sp.GetRequiredService<FlowControl.FlowWakeUps>());
        // After every other service started: the schema is there and the function folder loaded.
        services.AddHostedService<Schedules.ScheduleStartup>();
        return services;
    }
}
