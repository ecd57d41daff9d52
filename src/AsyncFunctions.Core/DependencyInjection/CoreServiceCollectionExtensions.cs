using AsyncFunctions.Awaiting;
using AsyncFunctions.Functions;
using AsyncFunctions.Recording;
using AsyncFunctions.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AsyncFunctions.DependencyInjection;

/// <summary>Registers the parts of the core that every host needs.</summary>
public static class CoreServiceCollectionExtensions
{
    public static IServiceCollection AddAsyncFunctionsCore(this IServiceCollection services)
    {
        services.AddOptions<FunctionRegistry>();
        services.AddOptions<AwaitOptions>();
        services.AddOptions<ExecutionOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFunctionSource, CodeFunctionSource>());
        services.TryAddSingleton<IFunctionCatalog, FunctionCatalog>();
        services.TryAddSingleton<ExecutionAwaiter>();
        services.TryAddSingleton<IExecutionAwaiter>(sp => sp.GetRequiredService<ExecutionAwaiter>());
        services.TryAddSingleton<ExecutionChangeFeed>();
        services.TryAddSingleton<ICompletionPublisher>(sp => new CompletionRelay(sp.GetRequiredService<ExecutionAwaiter>(), sp.GetRequiredService<ExecutionChangeFeed>()));
        services.TryAddSingleton<SyncRunLeases>();
        services.TryAddSingleton<StartedExecutions>();
        // The side effects of every status change, in StatusChangeOrder; other layers add theirs.
        services.TryAddSingleton<StatusChangeRecorder>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStatusChangeObserver, WaiterWakeUp>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStatusChangeObserver, EventStreamNotice>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStatusChangeObserver, StatusTelemetry>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStatusChangeObserver, ScheduleFailureTelemetry>());
        services.TryAddSingleton<IExecutionService, ExecutionService>();
        services.TryAddSingleton<Executions.IdempotentStarter>();
        services.TryAddSingleton<Executions.ExecutionAdministration>();
        return services;
    }
}
