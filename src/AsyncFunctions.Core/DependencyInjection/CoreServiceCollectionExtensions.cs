using AsyncFunctions.Awaiting;
using AsyncFunctions.Functions;
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
        services.TryAddSingleton<IExecutionService, ExecutionService>();
        return services;
    }
}
