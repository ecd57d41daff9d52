using AsyncFunctions.FunctionStacks.Http;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>Registers function stacks as a function source over the stored definitions.</summary>
public static class FunctionStacksServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="FunctionStacksOptions"/> from <c>AsyncFunctions:Stacks</c>, registers the
    /// guarded HTTP client of request steps, <see cref="StackFunctionSource"/>, <see cref="StackDefinitions"/>
    /// and the start-up load of the function folder. The host registers
    /// an <c>IFunctionDefinitionStore</c> (and, for log steps, an <c>IExecutionLogStore</c>).
    /// </summary>
    public static IServiceCollection AddFunctionStacks(this IServiceCollection services, Action<FunctionStacksOptions>? configure = null)
    {
        var options = services.AddOptions<FunctionStacksOptions>()
            .Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(FunctionStacksOptions.Section).Bind(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FunctionStacksOptions>, FunctionStacksOptionsValidator>());

        services.AddHttpClient(RequestRunner.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => GuardedHandler.Create(sp.GetRequiredService<IOptions<FunctionStacksOptions>>().Value))
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(sp => new StackServices(
            sp.GetRequiredService<IOptions<FunctionStacksOptions>>().Value,
            sp.GetService<IHttpClientFactory>(),
            sp.GetService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFunctionSource, StackFunctionSource>());
        services.TryAddSingleton<StackDefinitions>();
        services.AddHostedService<FunctionFolderStartup>();
        return services;
    }
}
