using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The real server (real Hangfire workers, real SQLite file) hosted in memory. Each instance
/// has its own database file unless one is passed in, to restart "the same" server. It has the
/// API keys of <see cref="TestKeys"/> (unless <c>withKeys</c> is false) and its clients send the
/// admin key unless told otherwise (<see cref="TestKeys.As"/>).
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private readonly bool _withKeys;
    private readonly IPAddress? _remoteAddress;
    private readonly Action<IServiceCollection>? _services;
    private readonly Task? _watchStartAfter;
    private HeldStart _start = new();

    /// <param name="remoteAddress">Where requests come from; loopback (a browser on the machine) when null.</param>
    /// <param name="services">Extra service registrations, applied after the server's own.</param>
    /// <param name="watchStartAfter">
    /// For a test of the start itself: the factory begins watching the server's start only once this
    /// completes or the start is held for it (see <see cref="HeldStart"/>), giving the server every
    /// chance to finish its start first.
    /// </param>
    public TestApp(int workers = 4, string? databasePath = null, IDictionary<string, string?>? settings = null, bool withKeys = true, IPAddress? remoteAddress = null, Action<IServiceCollection>? services = null, Task? watchStartAfter = null)
    {
        _withKeys = withKeys;
        _services = services;
        _watchStartAfter = watchStartAfter;
        _remoteAddress = remoteAddress;
        DatabasePath = databasePath ?? Path.Combine(Path.GetTempPath(), $"af-test-{Guid.NewGuid():N}.db");
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:AsyncFunctions"] = $"Data Source={DatabasePath}",
            ["AsyncFunctions:Storage:Provider"] = "Sqlite",
            ["AsyncFunctions:Server:WorkerCount"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AsyncFunctions:Server:SchedulePollingInterval"] = "00:00:00.200",
            ["AsyncFunctions:Server:CancellationCheckInterval"] = "00:00:00.200",
            ["AsyncFunctions:Server:ShutdownTimeout"] = "00:00:02",
            ["AsyncFunctions:Examples:Enabled"] = "true",
            ["AsyncFunctions:Api:MaxRequestBodyBytes"] = "4096",
            ["AsyncFunctions:Stacks:Folder"] = FunctionsFolder,
        };
        if (withKeys)
        {
            foreach (var (key, value) in TestKeys.Settings)
            {
                _settings[key] = value;
            }
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DatabasePath { get; }

    /// <summary>The example documents of the server's functions/ folder, copied beside the tests.</summary>
    public static string FunctionsFolder { get; } = Path.Combine(AppContext.BaseDirectory, "functions");

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            _start.HoldIn(services);
            services.Configure<FunctionRegistry>(TestFunctions.Register);
            services.AddSingleton<IStartupFilter>(_remoteAddress is null ? new LoopbackStartupFilter() : new RemoteAddressStartupFilter(_remoteAddress));
            _services?.Invoke(services);
        });
    }

    /// <summary>
    /// The server's host as WebApplicationFactory builds and starts it, except that its start is
    /// held until the factory watches it, so a start that fails reports its own error, never the
    /// disposed host's (see <see cref="HeldStart"/>).
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        _start = new HeldStart();
        return base.CreateHost(_start.ReleasedWhenWatched(builder, _watchStartAfter));
    }

    /// <summary>Every client sends the admin key, as an operator's tools would.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (_withKeys)
        {
            client.As(TestKeys.Admin);
        }
    }

    /// <summary>A client that sends <paramref name="key"/> (null: no key).</summary>
    public HttpClient ClientAs(string? key) => CreateClient().As(key);

    public async Task<JsonObject> PostAsync(string path, object body, System.Net.HttpStatusCode expected)
    {
        using var response = await CreateClient().PostAsJsonAsync(path, body, Json);
        return await ReadAsync(response, expected);
    }

    public async Task<JsonObject> GetAsync(string path, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        using var response = await CreateClient().GetAsync(new Uri(path, UriKind.Relative));
        return await ReadAsync(response, expected);
    }

    /// <summary>Saves a function-stack document (its "name" names it) and asserts the save succeeded.</summary>
    public async Task SaveStackAsync(string document)
    {
        var json = JsonNode.Parse(document)!;
        using var response = await CreateClient().PutAsJsonAsync($"/api/functions/{json["name"]!.GetValue<string>()}", json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Starts an execution async and returns its id.</summary>
    public async Task<string> StartAsync(string function, object input) =>
        (await PostAsync($"/api/functions/{function}/executions", new { input }, System.Net.HttpStatusCode.Accepted))["id"]!.GetValue<string>();

    public async Task<JsonObject> AwaitAsync(IEnumerable<string> ids, double timeoutSeconds = 30) =>
        await PostAsync("/api/executions/await", new { ids, timeoutSeconds }, System.Net.HttpStatusCode.OK);

    /// <summary>Polls the execution until <paramref name="condition"/> holds (generous deadline, no timing asserts).</summary>
    public async Task<JsonObject> WaitForAsync(string id, Func<JsonObject, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var record = await GetAsync($"/api/executions/{id}");
            if (condition(record))
            {
                return record;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Execution {id} never reached the expected state; last seen: {record.ToJsonString()}");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (generous deadline, no timing asserts).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition never held.");
            await Task.Delay(20);
        }
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }
}
