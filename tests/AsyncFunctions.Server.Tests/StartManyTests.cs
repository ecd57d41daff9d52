using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;
using AsyncFunctions.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Starting many executions at once (IExecutionService.StartManyAsync, and fan-out loops of
/// function stacks, which use it): ids in the order of the requests, everything checked before
/// anything is written, the tree's bound counted once for the batch, and a creation that fails
/// leaves the others running and no row without its job.
/// </summary>
public sealed class StartManyTests : IDisposable
{
    private const int MaxTree = 30;

    private readonly ConcurrentQueue<int> _treeCounts = new();
    private readonly TestApp _app;

    public StartManyTests()
    {
        _app = new TestApp(
            settings: new Dictionary<string, string?> { ["AsyncFunctions:Execution:MaxTreeExecutions"] = MaxTree.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            services: services => services.AddSingleton<IExecutionStore>(sp => WatchedStore.Create(new DapperExecutionStore(sp.GetRequiredService<SqlDialect>()), _treeCounts)));
        _app.CreateClient().Dispose();
    }

    private IExecutionService Executions => _app.Services.GetRequiredService<IExecutionService>();

    private static StartRequest Echo(object value) => new("examples.echo", new JsonObject { ["value"] = JsonValue.Create(value) });

    [Fact]
    public async Task The_records_come_back_in_the_order_of_the_requests_and_every_execution_runs()
    {
        var records = await Executions.StartManyAsync([.. Enumerable.Range(0, 20).Select(i => Echo(i))]);

        Assert.Equal(Enumerable.Range(0, 20), records.Select(r => r.Input!["value"]!.GetValue<int>()));
        Assert.Equal(20, records.Select(r => r.Id).Distinct().Count());
        var outcome = await _app.AwaitAsync(records.Select(r => r.Id));
        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());
        Assert.Equal(Enumerable.Range(0, 20), outcome["results"]!.AsArray().Select(r => r!["output"]!.GetValue<int>()));
    }

    [Fact]
    public async Task One_invalid_input_starts_nothing()
    {
        var requests = new[] { Echo("first"), new StartRequest("examples.echo", new JsonObject { ["value"] = 1, ["delayMs"] = "soon" }), Echo("last") };

        await Assert.ThrowsAsync<InputValidationException>(() => Executions.StartManyAsync(requests));
        await Assert.ThrowsAsync<UnknownFunctionException>(() => Executions.StartManyAsync([Echo("a"), new StartRequest("no.such.function", new JsonObject())]));

        var listed = await _app.GetAsync("/api/executions?function=examples.echo");
        Assert.Empty(listed["items"]!.AsArray());
    }

    [Fact]
    public async Task A_creation_that_fails_leaves_the_others_running_and_no_row_without_its_job()
    {
        var requests = Enumerable.Range(0, 10).Select(i => Echo(i == 4 ? WatchedStore.Refused : i)).ToArray();

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => Executions.StartManyAsync(requests));
        Assert.Contains(WatchedStore.Refused, ex.ToString(), StringComparison.Ordinal);

        JsonArray items = [];
        await TestApp.WaitUntilAsync(async () =>
        {
            items = (await _app.GetAsync("/api/executions?function=examples.echo&limit=50"))["items"]!.AsArray();
            return items.Count == 9 && items.All(i => i!["status"]!.GetValue<string>() == "Succeeded");
        });
        Assert.DoesNotContain(items, i => i!["input"]?["value"]?.ToString() == WatchedStore.Refused);
    }

    [Fact]
    public async Task A_stack_fan_out_loop_counts_its_children_against_the_tree_in_one_write()
    {
        await _app.SaveStackAsync("""
            { "name": "tests.fan_out_loop", "inputs": [ { "name": "n", "type": "int", "required": true } ],
              "stack": [
                { "var": "ids", "value": [] },
                { "for": "=$input.n", "index": "i", "do": [
                    { "call": "examples.echo", "async": true, "input": { "value": "=$var.i" }, "as": "id" },
                    { "set": "ids", "op": "push", "value": "=$var.id" } ] },
                { "await": "=$var.ids", "as": "outputs" } ],
              "response": "=$var.outputs" }
            """);

        var id = await _app.StartAsync("tests.fan_out_loop", new { n = 12 });
        var record = await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() is "Succeeded" or "Failed");

        Assert.Equal("Succeeded", record["status"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(0, 12), record["output"]!.AsArray().Select(o => o!.GetValue<int>()));
        Assert.Contains(12, _treeCounts);
        var children = (await _app.GetAsync($"/api/executions?function=examples.echo&limit=50"))["items"]!.AsArray();
        Assert.Equal(12, children.Count);
        Assert.All(children, c => Assert.Equal((id, id), (c!["parentId"]!.GetValue<string>(), c["rootId"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_stack_fan_out_past_the_tree_bound_starts_exactly_up_to_it_and_fails_with_the_limit()
    {
        await _app.SaveStackAsync("""
            { "name": "tests.fan_out_too_wide", "stack": [
                { "for": 40, "do": [ { "call": "examples.echo", "async": true, "input": { "value": 1 } } ] } ] }
            """);

        var id = await _app.StartAsync("tests.fan_out_too_wide", new { });
        var record = await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() is "Succeeded" or "Failed");

        Assert.Equal("limit.tree_executions", record["error"]!["code"]!.GetValue<string>());
        var children = (await _app.GetAsync($"/api/executions?function=examples.echo&limit=100"))["items"]!.AsArray();
        Assert.Equal(MaxTree, children.Count);
    }

    public void Dispose() => _app.Dispose();

    /// <summary>The real store, noting each batch count of the tree's bound and refusing to insert one marked row (before writing it).</summary>
    public class WatchedStore : DispatchProxy
    {
        public const string Refused = "refused-by-the-test";

        private IExecutionStore _inner = null!;
        private ConcurrentQueue<int> _treeCounts = null!;

        public static IExecutionStore Create(IExecutionStore inner, ConcurrentQueue<int> treeCounts)
        {
            var proxy = Create<IExecutionStore, WatchedStore>();
            var watched = (WatchedStore)(object)proxy;
            (watched._inner, watched._treeCounts) = (inner, treeCounts);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IExecutionStore.CreateAsync) && args![0] is NewExecution { } row && row.Input["value"]?.ToString() == Refused)
            {
                return Task.FromException(new InvalidOperationException(Refused));
            }

            if (targetMethod.Name == nameof(IExecutionStore.TryCountTreeStartsAsync))
            {
                _treeCounts.Enqueue((int)args![1]!);
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
