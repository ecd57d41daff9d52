using System.Text.Json.Serialization;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.AspNetCore.Access;
using AsyncFunctions.AspNetCore.Administration;
using AsyncFunctions.AspNetCore.Dashboard;
using AsyncFunctions.AspNetCore.Endpoints;
using AsyncFunctions.AspNetCore.Http;
using AsyncFunctions.AspNetCore.OpenApi;
using Hangfire;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Configuration;

/// <summary>How the server is put together; shared by Program and the tests.</summary>
public static class ServerComposition
{
    /// <param name="functions">Adds this app's C# functions (and anything else of <see cref="AsyncFunctionsBuilder"/>).</param>
    public static WebApplicationBuilder AddAsyncFunctionsServer(this WebApplicationBuilder builder, Action<AsyncFunctionsBuilder>? functions = null)
    {
        AddTopLevelSettings(builder.Configuration);
        var configuration = builder.Configuration;
        var services = builder.Services;

        services.AddAsyncFunctions(o =>
        {
            o.UseConfiguredStorage(configuration);
            functions?.Invoke(o);
        });

        services.AddFunctionStacks();

        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section)
            .Validate(o => o.MaxRequestBodyBytes > 0, $"{ApiOptions.Section}:MaxRequestBodyBytes must be positive.")
            .Validate(o => o.MaxWaitSeconds is >= 0 and <= 3600, $"{ApiOptions.Section}:MaxWaitSeconds must be between 0 and 3600.")
            .Validate(o => o.IdempotencyRetention > TimeSpan.Zero && o.IdempotencyRetention <= TimeSpan.FromDays(365), $"{ApiOptions.Section}:IdempotencyRetention must be more than 0 and at most 365.00:00:00.")
            .Validate<IOptions<AsyncFunctions.Awaiting.AwaitOptions>>(
                (api, awaits) => api.MaxWaitSeconds <= awaits.Value.MaxTimeout.TotalSeconds,
                $"{ApiOptions.Section}:MaxWaitSeconds must not exceed AsyncFunctions:Await:MaxTimeout.")
            .ValidateOnStart();
        // The dashboard checks an anti-forgery token on its posts (requeue, delete, ...) once the
        // service is registered, and puts the token in its pages for its own script.
        services.AddAntiforgery();
        services.AddApiProblems();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: [HealthEndpoints.ReadyTag]);
        services.AddAccessControl(configuration);
        services.AddSingleton<RetentionPurger>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionPurger>());
        services.AddApiContract();
        services.AddServerTelemetry(configuration);
        return builder;
    }

    public static WebApplication MapAsyncFunctionsServer(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAccessControl();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.MapFunctionEndpoints();
        app.MapExecutionEndpoints();
        app.MapExecutionAdministrationEndpoints();
        app.MapHealthEndpoints();
        app.MapServerTelemetry();
        app.MapApiContract();
        app.MapDashboardSignIn();
        ExecutionDashboard.Register();
        app.MapHangfireDashboard(ExecutionDashboard.DashboardPath, new DashboardOptions
        {
            DashboardTitle = "AsyncFunctions",
            // "Back to site": the sign-in page shows who is signed in, signs out and links back here.
            AppPath = DashboardSignIn.Path,
            Authorization = [new DashboardAccess()],
            IsReadOnlyFunc = DashboardAccess.IsReadOnly,
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Roles.DashboardPolicy);
        return app;
    }

    /// <summary>
    /// The server's configuration is the repository's top-level appsettings.json. It is read from
    /// the working directory as usual; the copy that travels with the build comes first, so a
    /// server started from another folder still finds its settings.
    /// </summary>
    private static void AddTopLevelSettings(ConfigurationManager configuration)
    {
        var builtCopy = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var sources = ((IConfigurationBuilder)configuration).Sources;
        var firstJson = sources.Select((s, i) => (s, i)).FirstOrDefault(x => x.s is JsonConfigurationSource).i;
        if (File.Exists(builtCopy) && !sources.OfType<JsonConfigurationSource>().Any(s => s.Path == builtCopy))
        {
            var source = new JsonConfigurationSource { Path = builtCopy, Optional = true, ReloadOnChange = false };
            source.ResolveFileProvider();
            sources.Insert(firstJson, source);
        }
    }
}
