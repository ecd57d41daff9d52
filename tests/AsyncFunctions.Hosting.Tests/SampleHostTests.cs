using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Hosting.Tests;

/// <summary>
/// AsyncFunctions hosted in an app of its own (the sample of docs/csharp-functions.md): the app's endpoint keeps the
/// app's rules, and the platform's API, dashboard and health answer beside it.
/// </summary>
public sealed class SampleHostTests
{
    [Fact]
    public async Task The_apps_own_endpoint_needs_no_key_and_keeps_the_apps_error_answers()
    {
        using var host = new SampleHost();
        using var anonymous = host.CreateClient();

        Assert.Equal("Hello, Ada, from the host app", await anonymous.GetStringAsync(new Uri("/hello?name=Ada", UriKind.Relative)));

        // The platform's status-code pages do not turn the app's own 404 into a problem document.
        using var missing = await anonymous.GetAsync(new Uri("/not-the-platform", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("", await missing.Content.ReadAsStringAsync());

        // The platform chooses no default scheme for the app's endpoints.
        Assert.Null(await host.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetDefaultAuthenticateSchemeAsync());

        // The platform's endpoints still need a key.
        using var api = await anonymous.GetAsync(new Uri("/api/functions", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_samples_function_runs_async_over_the_api_and_the_dashboard_opens()
    {
        using var host = new SampleHost();
        using var admin = host.Admin();

        using var started = await admin.PostAsJsonAsync("/api/functions/sample.greet/executions", new { input = new { name = "Ada" } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        using var awaited = await admin.PostAsJsonAsync("/api/executions/await", new { ids = new[] { id }, timeoutSeconds = 60 });
        var result = (await awaited.Content.ReadFromJsonAsync<JsonObject>())!["results"]![0]!;
        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        Assert.Equal("Hello, Ada!", result["output"]!["greeting"]!.GetValue<string>());

        using var dashboard = await admin.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("AsyncFunctions", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var signIn = await host.CreateClient().GetAsync(new Uri("/sign-in", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        using var ready = await host.CreateClient().GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var openApi = await admin.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
    }

    [Fact]
    public async Task An_app_with_its_own_cookie_sign_in_keeps_its_scheme_and_its_default()
    {
        using var host = new SampleHost(services => services
            .AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie());
        using var anonymous = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        // The app's "Cookies" scheme stays its default: the platform names its own schemes.
        var schemes = host.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.Equal(CookieAuthenticationDefaults.AuthenticationScheme, (await schemes.GetDefaultAuthenticateSchemeAsync())?.Name);
        Assert.Equal(CookieAuthenticationDefaults.AuthenticationScheme, (await schemes.GetDefaultChallengeSchemeAsync())?.Name);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/hello", UriKind.Relative))).StatusCode);

        // The dashboard, unsigned, still sends to its own sign-in page.
        using var dashboard = await anonymous.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.StartsWith("/sign-in", dashboard.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        using var admin = host.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/functions/sample.greet", UriKind.Relative))).StatusCode);
    }
}
