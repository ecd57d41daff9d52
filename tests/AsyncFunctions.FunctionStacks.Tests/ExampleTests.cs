using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class ExampleTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Examples");

    private static string Example(string name) => File.ReadAllText(Path.Combine(Folder, name + ".json"));

    [Fact]
    public void Every_example_compiles()
    {
        var loaded = FunctionFolderLoader.Load(Folder, name => name == "examples.echo");
        Assert.Equal(5, loaded.Count);
        Assert.All(loaded, d => Assert.True(d.Succeeded, d.File + ": " + string.Join("; ", d.Problems)));
    }

    [Fact]
    public async Task Fan_out_loading_merges_the_outputs_of_async_echo_calls()
    {
        var stacks = new Stacks();
        stacks.Executions.Add("examples.echo", (context, ct) => Task.FromResult(context.Input["value"]?.DeepClone()));
        var output = await stacks.RunAsync(Example("fan_out_load"), new() { ["ids"] = new JsonArray(3, 1, 2), ["delayMs"] = 0 });

        Assert.Equal(3, output!["count"]!.GetValue<int>());
        Assert.Equal("user 1", output["users"]!["1"]!["name"]!.GetValue<string>());
        Assert.Equal(3, stacks.Executions.Started.Count);
        Assert.All(stacks.Executions.Started, s => Assert.Equal(0, s.Input!["delayMs"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Notification_fan_out_tolerates_failures()
    {
        using var server = new LocalHttpServer();
        var stacks = new Stacks(o =>
        {
            o.AllowedHosts.Add("127.0.0.1");
            o.Env["NOTIFY_WEBHOOK_URL"] = server.Url("/echo");
        });
        stacks.AddStack(Example("notify_one"));
        var bad = new Stacks(o => { o.AllowedHosts.Add("127.0.0.1"); o.Env["NOTIFY_WEBHOOK_URL"] = server.Url("/status/500"); });
        var failing = new StackFunctionBody(Stacks.Compile(Example("notify_one")), bad.Services);
        var good = new StackFunctionBody(Stacks.Compile(Example("notify_one")), stacks.Services);
        stacks.Executions.Add("examples.notify_one", (context, ct) =>
            context.Input["recipient"]!.GetValue<string>() == "bounce" ? failing.InvokeAsync(context, ct) : good.InvokeAsync(context, ct));

        var output = await stacks.RunAsync(Example("notify_all"), new() { ["recipients"] = new JsonArray("ann", "bounce", "bob"), ["message"] = "hi" });

        Assert.Equal("""["ann","bob"]""", output!["sent"]!.ToJsonString());
        var failed = Assert.Single(output["failed"]!.AsArray())!;
        Assert.Equal(("bounce", "notify.rejected"), (failed["recipient"]!.GetValue<string>(), failed["error"]!["code"]!.GetValue<string>()));
        Assert.Equal("warning", Assert.Single(await stacks.Logs.ListAsync("root")).Level);
    }

    [Fact]
    public async Task The_upload_endpoint_answers_with_the_execution_id_at_once()
    {
        var stacks = new Stacks();
        stacks.AddStack(Example("process_upload"));
        stacks.Executions.Held.Add("examples.process_upload");
        var rows = new JsonArray(new JsonObject { ["email"] = "a@x" }, new JsonObject(), new JsonObject { ["email"] = "b@x" });

        var output = await stacks.RunAsync(Example("start_upload_processing"), new() { ["uploadId"] = "u1", ["rows"] = rows });

        var id = output!["executionId"]!.GetValue<string>();
        Assert.True(output["accepted"]!.GetValue<bool>());
        Assert.Equal(AsyncFunctions.Executions.ExecutionStatus.Enqueued, stacks.Executions.Get(id).Status);

        var processed = await stacks.RunAsync(Example("process_upload"), new() { ["uploadId"] = "u1", ["rows"] = rows.DeepClone(), ["chunkSize"] = 2, ["pauseMs"] = 1 });
        Assert.Equal("""{"uploadId":"u1","valid":2,"invalidRows":[1]}""", processed!.ToJsonString());
    }
}
