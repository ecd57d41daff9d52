using System.Net.Http.Headers;
using AsyncFunctions.Hosting.Sample;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Hosting.Tests;

/// <summary>
/// The sample app of tests/AsyncFunctions.Hosting.Sample as written, on the embedded SQLite
/// default (a file of its own), with one admin key for the platform's endpoints.
/// </summary>
public sealed class SampleHost(Action<IServiceCollection>? services = null) : WebApplicationFactory<GreetFunction>
{
    public const string AdminKey = "hosting-sample-admin-key-0123456789";

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"af-hosting-{Guid.NewGuid():N}.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:AsyncFunctions", $"Data Source={_database}");
        builder.UseSetting("AsyncFunctions:ApiKeys:0:Name", "sample-admin");
        builder.UseSetting("AsyncFunctions:ApiKeys:0:Role", "admin");
        builder.UseSetting("AsyncFunctions:ApiKeys:0:Key", AdminKey);
        builder.UseSetting("AsyncFunctions:Server:WorkerCount", "2");
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    /// <summary>A client that sends the admin key, as a caller of the platform's API would.</summary>
    public HttpClient Admin()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(_database);
        }
    }
}
