using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace AsyncFunctions.Benchmarks.Hosting;

/// <summary>The generic host both sides run in: no appsettings, no environment, warnings only.</summary>
public static class HostSettings
{
    public static HostApplicationBuilder CreateBuilder(IDictionary<string, string?> configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.Replace(ServiceDescriptor.Singleton(SharedLogging.Factory));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        return builder;
    }
}
