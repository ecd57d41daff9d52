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

    /// <summary>
    /// Keeps the results table of the provider chosen before (its dialect and migration) and puts
    /// Hangfire's jobs in another storage; called by job-storage extensions such as
    /// <c>UseRedisJobs</c>, after <c>UseSqlite</c>, <c>UsePostgreSql</c> or <c>UseSqlServer</c>.
    /// Jobs and rows then never commit together, so the job storage's own installation (if any)
    /// is the caller's concern and <see cref="StorageProvider.CreatesJobsInTransactionScope"/> is off.
    /// </summary>
    public AsyncFunctionsBuilder UseJobStorage(
        string name,
        Func<IServiceProvider, global::Hangfire.JobStorage> createJobStorage,
        Func<IServiceProvider, AsyncFunctions.Nodes.IStaleQueueClaims>? createStaleQueueClaims = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(createJobStorage);
        var results = Storage ?? throw new InvalidOperationException(
            $"Choose the results database (UseSqlite, UsePostgreSql or UseSqlServer) before the job storage {name}.");
        Storage = new StorageProvider
        {
            Name = $"{name}+{results.Name}",
            CreateJobStorage = createJobStorage,
            CreateDialect = results.CreateDialect,
            MigrateAsync = results.MigrateAsync,
            JobsSurviveRestart = true,
            CreatesJobsInTransactionScope = false,
            CreateStaleQueueClaims = createStaleQueueClaims,
        };
        return this;
    }
}
