using System.Net;
using System.Net.Sockets;

namespace AsyncFunctions.Server.Tests;

/// <summary>The function folder loaded at start-up, and the notification example over real HTTP.</summary>
public sealed class FunctionFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("af-functions-").FullName;

    private static string Greeting(string name, string text) => $$"""
        // Comments are allowed in files.
        { "name": "{{name}}", "stack": [], "response": "{{text}}", }
        """;

    private TestApp Start(string databasePath) =>
        new(databasePath: databasePath, settings: new Dictionary<string, string?> { ["AsyncFunctions:Stacks:Folder"] = _folder });

    private static async Task<int?> VersionAsync(TestApp app, string name)
    {
        using var response = await app.CreateClient().GetAsync(new Uri($"/api/functions/{name}", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["version"]!.GetValue<int>();
    }

    [Fact]
    public async Task Files_are_saved_once_new_versions_follow_edits_and_broken_files_are_skipped()
    {
        File.WriteAllText(Path.Combine(_folder, "a.json"), Greeting("folder.a", "A1"));
        File.WriteAllText(Path.Combine(_folder, "b.json"), Greeting("folder.b", "B1"));
        File.WriteAllText(Path.Combine(_folder, "broken.json"), """{ "name": "folder.broken", "stack": [ { "nope": 1 } ] }""");
        var database = Path.Combine(Path.GetTempPath(), $"af-folder-{Guid.NewGuid():N}.db");

        using (var first = Start(database))
        {
            Assert.Equal((1, 1), (await VersionAsync(first, "folder.a"), await VersionAsync(first, "folder.b")));
            Assert.Null(await VersionAsync(first, "folder.broken"));
        }

        File.WriteAllText(Path.Combine(_folder, "b.json"), Greeting("folder.b", "B2"));
        using var second = Start(database);

        Assert.Equal((1, 2), (await VersionAsync(second, "folder.a"), await VersionAsync(second, "folder.b")));
        var run = await second.PostAsync("/api/functions/folder.b/executions", new { mode = "sync" }, HttpStatusCode.OK);
        Assert.Equal("B2", run["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task Notification_example_tolerates_a_refused_recipient_over_real_http()
    {
        var port = FreePort();
        using var app = new TestApp(settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Stacks:Env:NOTIFY_WEBHOOK_URL"] = $"http://127.0.0.1:{port}/examples/webhook",
            ["AsyncFunctions:Stacks:AllowedHosts:0"] = $"127.0.0.1:{port}",
        });
        app.UseKestrel(port);
        app.StartServer();

        var id = await app.StartAsync("examples.notify_all", new { recipients = new[] { "ann", "bounce-bob", "cy" }, message = "hi" });
        var result = (await app.AwaitAsync([id], timeoutSeconds: 60))["results"]![0]!;

        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        Assert.Equal("""["ann","cy"]""", result["output"]!["sent"]!.ToJsonString());
        var failed = Assert.Single(result["output"]!["failed"]!.AsArray())!;
        Assert.Equal("notify.rejected", failed["error"]!["code"]!.GetValue<string>());
        var children = await app.GetAsync($"/api/executions?parentId={id}&status=Failed");
        var bounced = Assert.Single(children["items"]!.AsArray())!;
        Assert.Equal(3, bounced["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task Request_steps_to_loopback_are_refused_unless_allow_listed()
    {
        var port = FreePort();
        using var app = new TestApp(settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Stacks:Env:NOTIFY_WEBHOOK_URL"] = $"http://127.0.0.1:{port}/examples/webhook",
        });
        app.UseKestrel(port);
        app.StartServer();

        var problem = await app.PostAsync("/api/functions/examples.notify_one/executions", new { input = new { recipient = "ann", message = "hi" }, mode = "sync" }, HttpStatusCode.UnprocessableEntity);

        Assert.Equal("request.forbidden_host", problem["error"]!["code"]!.GetValue<string>());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
