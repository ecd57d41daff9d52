using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Hangfire.DependencyInjection;

/// <summary>Configures AsyncFunctions in <c>services.AddAsyncFunctions(o => ...)</c>.</summary>
public sealed class AsyncFunctionsBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    internal StorageProvider? Storage { get; private set; }

    /// <summary>Registers a C# function.</summary>
    public AsyncFunctionsBuilder AddFunction<T>(string name, Action<CodeFunctionRegistration>? configure = null)
        where T : class, IAsyncFunction
    {
        FunctionName.Validate(name);
        Services.Configure<FunctionRegistry>(registry =>
        {
            var registration = registry.AddFunction<T>(name);
            configure?.Invoke(registration);
        });
        return this;
    }

    /// <summary>Chooses the database; called by the providers' <c>Use...</c> extensions.</summary>
    public AsyncFunctionsBuilder UseStorage(StorageProvider provider)
    {
        Storage = provider;
        return this;
    }
}
