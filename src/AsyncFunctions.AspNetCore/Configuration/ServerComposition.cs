using System.Text.Json.Serialization;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.AspNetCore.Access;
using AsyncFunctions.AspNetCore.Maintenance;
using AsyncFunctions.AspNetCore.Dashboard;
using AsyncFunctions.AspNetCore.Endpoints;
using AsyncFunctions.AspNetCore.Events;
using AsyncFunctions.AspNetCore.Http;
using AsyncFunctions.AspNetCore.Webhooks;
using AsyncFunctions.AspNetCore.OpenApi;
using Hangfire;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Configuration;

/// <summary>
/// How the platform is put together in an ASP.NET Core app: <see cref="AddAsyncFunctions"/> and
/// <see cref="MapAsyncFunctions"/> in an app of its own, <see cref="AddAsyncFunctionsServer"/> and
/// <see cref="MapAsyncFunctionsServer"/> in the shipped server, which is the platform alone.
/// </summary>
public static class ServerComposition
{
    /// <summary>
    /// The shipped server: the repository's appsettings.json, the platform, and keys required by
    /// every endpoint that says nothing (the server has no endpoints of its own to leave open).
    /// </summary>
    /// <param name="functions">Adds this app's C# functions (and anything else of <see cref="AsyncFunctionsBuilder"/>).</param>
    public static WebApplicationBuilder AddAsyncFunctionsServer(this WebApplicationBuilder builder, Action<AsyncFunctionsBuilder>? functions = null)
    {
        AddTopLevelSettings(builder.Configuration);
        builder.AddAsyncFunctions(functions);
        builder.Services.RequireKeysEverywhere();
        return builder;
    }

    /// <summary>
    /// The platform in any ASP.NET Core app: storage from the app's configuration
    /// (<c>AsyncFunctions:Storage:Provider</c>, <c>ConnectionStrings:AsyncFunctions</c>), Hangfire
    /// workers, function stacks, API keys, health checks, OpenAPI and telemetry. Settings are read
    /// from the app's configuration as documented for the server.
    /// </summary>
    /// <param name="functions">Adds the app's C# functions (and anything else of <see cref="AsyncFunctionsBuilder"/>).</param>
    public static WebApplicationBuilder AddAsyncFunctions(this WebApplicationBuilder builder, Action<AsyncFunctionsBuilder>? functions = null)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;

        services.AddAsyncFunctions(o =>
        {
            o.UseConfiguredStorage(configuration);
            functions?.Invoke(o);
        });

        services.AddFunctionStacks();
        services.AddWebhookDelivery();

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
        services.AddExecutionEvents();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: [HealthEndpoints.ReadyTag]);
        services.AddAccessControl(configuration);
        services.AddSingleton<RetentionPurger>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionPurger>());
        services.AddApiContract();
        services.AddServerTelemetry(configuration);
        return builder;
    }

    /// <summary>
    /// The shipped server: the platform's middleware (problem details, keys, rate limits, body
    /// limit) for every request, then its endpoints.
    /// </summary>
    public static WebApplication MapAsyncFunctionsServer(this WebApplication app)
    {
        UsePlatformMiddleware(app);
        MapPlatformEndpoints(app);
        return app;
    }

    /// <summary>
    /// The platform's endpoints in an app of its own: the REST API (<c>/api/functions</c>,
    /// <c>/api/executions</c>), the dashboard (<c>/hangfire</c>, <c>/sign-in</c>, <c>/sign-out</c>),
    /// <c>/health</c>, the OpenAPI document and the Prometheus scrape. The platform's middleware runs
    /// for these endpoints only (after routing): the app's own endpoints keep the app's
    /// authentication, authorization, error pages and body limits.
    /// </summary>
    public static WebApplication MapAsyncFunctions(this WebApplication app)
    {
        app.UseWhen(PlatformEndpoint.IsTarget, UsePlatformMiddleware);
        MapPlatformEndpoints(app);
        return app;
    }

    private static void UsePlatformMiddleware(IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAccessControl();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
    }

    private static void MapPlatformEndpoints(WebApplication app)
    {
        var platform = app.MapGroup("").WithMetadata(PlatformEndpoint.Marker);
        // Secure by default: an endpoint of the platform that says nothing needs a valid key.
        var keyed = platform.MapGroup("").RequireAuthorization(Roles.ReadPolicy);
        keyed.MapFunctionEndpoints();
        keyed.MapExecutionEndpoints();
        keyed.MapExecutionEventsEndpoints();
        keyed.MapExecutionAdministrationEndpoints();
        keyed.MapHealthEndpoints();
        keyed.MapServerTelemetry();
        keyed.MapApiContract();
        keyed.MapDashboardSignIn();
        ExecutionDashboard.Register();
        // The dashboard's own policy (key or sign-in cookie) alone: a second scheme would answer its challenge twice.
        platform.MapHangfireDashboard(ExecutionDashboard.DashboardPath, new DashboardOptions
        {
            DashboardTitle = "AsyncFunctions",
            // "Back to site": the sign-in page shows who is signed in, signs out and links back here.
            AppPath = DashboardSignIn.Path,
            Authorization = [new DashboardAccess()],
            IsReadOnlyFunc = DashboardAccess.IsReadOnly,
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Roles.DashboardPolicy);
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
