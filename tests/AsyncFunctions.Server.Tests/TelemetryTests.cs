using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace AsyncFunctions.Server.Tests;

/// <summary>Traces that follow a fan-out across jobs, metrics on the Prometheus endpoint, and quiet logs.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_fan_out_reads_as_one_trace_with_each_child_run_under_the_span_that_started_it()
    {
        var spans = new List<Activity>();
        using var app = new TestApp(services: s => s.AddOpenTelemetry().WithTracing(t => t
            .AddSource(ExecutionTelemetry.Name)
            .AddAspNetCoreInstrumentation()
            .AddInMemoryExporter(spans)));

        var parent = await app.StartAsync("examples.fan_out_load", new { ids = new[] { 1, 2, 3 }, delayMs = 0 });
        Assert.Equal("Succeeded", (await app.AwaitAsync([parent]))["results"]![0]!["status"]!.GetValue<string>());
        List<Activity> Snapshot()
        {
            lock (spans)
            {
                return spans.ToList();
            }
        }

        // The parent's last run ends just after its result is recorded; wait for its span. It ran
        // once, or twice when its children were still running at its await (it suspended).
        await TestApp.WaitUntilAsync(() => Task.FromResult(Snapshot().Count(a => a.DisplayName == "run examples.fan_out_load" && Tag(a, "asyncfunctions.execution.id") == parent) >= 1 && Snapshot().Count(a => a.DisplayName == "run examples.echo") >= 3));
        var all = Snapshot();
        var start = all.Single(a => a.DisplayName == "start examples.fan_out_load" && Tag(a, "asyncfunctions.execution.id") == parent);
        var trace = all.Where(a => a.TraceId == start.TraceId).ToList();

        var request = trace.Single(a => a.Kind == ActivityKind.Server);
        Assert.Equal(request.SpanId, start.ParentSpanId);
        var parentRuns = trace.Where(a => a.DisplayName == "run examples.fan_out_load").ToList();
        Assert.NotEmpty(parentRuns);
        Assert.All(parentRuns, r => Assert.Equal(start.SpanId, r.ParentSpanId));

        var childStarts = trace.Where(a => a.DisplayName == "start examples.echo").ToList();
        Assert.Equal(3, childStarts.Count);
        // A fan-out loop starts its children as one batch: their start spans sit under the batch's span, in the parent's run.
        var batches = trace.Where(a => a.DisplayName == "start many" && parentRuns.Any(r => r.SpanId == a.ParentSpanId)).ToList();
        Assert.All(childStarts, s => Assert.True(
            parentRuns.Any(r => r.SpanId == s.ParentSpanId) || batches.Any(b => b.SpanId == s.ParentSpanId),
            "Each child's start span is in a run of the parent: " + string.Join(", ", trace.Select(a => a.DisplayName))));
        var childRuns = trace.Where(a => a.DisplayName == "run examples.echo").ToList();
        Assert.Equal(3, childRuns.Count);
        Assert.All(childRuns, r => Assert.Contains(childStarts, s => s.SpanId == r.ParentSpanId && Tag(s, "asyncfunctions.execution.id") == Tag(r, "asyncfunctions.execution.id")));
    }

    [Fact]
    public async Task A_query_step_is_a_span_of_the_run_that_made_it()
    {
        var spans = new List<Activity>();
        using var app = new TestApp(
            settings: new Dictionary<string, string?>
            {
                ["AsyncFunctions:Stacks:Connections:scratch:Provider"] = "sqlite",
                ["AsyncFunctions:Stacks:Connections:scratch:ConnectionString"] = "Data Source=:memory:",
            },
            services: s => s.AddOpenTelemetry().WithTracing(t => t.AddSource(ExecutionTelemetry.Name).AddAspNetCoreInstrumentation().AddInMemoryExporter(spans)));
        await app.SaveStackAsync("""
            { "name": "tests.traced_query", "stack": [ { "query": "SELECT 41 + 1 AS answer", "connection": "scratch", "as": "rows" } ], "response": "=$var.rows[0].answer" }
            """);

        var id = await app.StartAsync("tests.traced_query", new { });
        Assert.Equal(42, (await app.AwaitAsync([id]))["results"]![0]!["output"]!.GetValue<int>());
        await TestApp.WaitUntilAsync(() => Task.FromResult(Snapshot(spans).Any(a => a.DisplayName == "run tests.traced_query" && Tag(a, "asyncfunctions.execution.id") == id)));

        var all = Snapshot(spans);
        var run = all.Single(a => a.DisplayName == "run tests.traced_query" && Tag(a, "asyncfunctions.execution.id") == id);
        var query = all.Single(a => a.DisplayName == "query scratch" && Tag(a, "asyncfunctions.execution.id") == id);
        Assert.Equal(run.SpanId, query.ParentSpanId);
        Assert.Equal("$.stack[0]", Tag(query, "asyncfunctions.step"));
    }

    private static List<Activity> Snapshot(List<Activity> spans)
    {
        lock (spans)
        {
            return spans.ToList();
        }
    }

    [Fact]
    public async Task Metrics_are_scraped_by_admin_and_viewer_keys_only()
    {
        using var app = new TestApp();
        // The child takes long enough for the parent to suspend while it waits.
        var id = await app.StartAsync("examples.fan_out_load", new { ids = new[] { 7 }, delayMs = 1500 });
        await app.AwaitAsync([id]);
        var failing = await app.StartAsync("examples.fail", new { message = "for the metrics" });
        await app.AwaitAsync([failing]);

        string text = "";
        await TestApp.WaitUntilAsync(async () =>
        {
            using var scrape = await app.ClientAs(TestKeys.Viewer).GetAsync(new Uri("/metrics", UriKind.Relative));
            text = await scrape.Content.ReadAsStringAsync();
            return scrape.StatusCode == HttpStatusCode.OK && text.Contains("asyncfunctions_executions_failed", StringComparison.Ordinal);
        });

        Assert.Contains("asyncfunctions_executions_started", text, StringComparison.Ordinal);
        Assert.Contains("function=\"examples.fan_out_load\"", text, StringComparison.Ordinal);
        Assert.Contains("asyncfunctions_executions_succeeded", text, StringComparison.Ordinal);
        Assert.Contains("asyncfunctions_executions_suspended", text, StringComparison.Ordinal);
        Assert.Contains("asyncfunctions_execution_duration", text, StringComparison.Ordinal);
        Assert.Contains("asyncfunctions_execution_queue_wait", text, StringComparison.Ordinal);
        Assert.Contains("asyncfunctions_execution_await_time", text, StringComparison.Ordinal);

        using var admin = await app.ClientAs(TestKeys.Admin).GetAsync(new Uri("/metrics", UriKind.Relative));
        using var invoker = await app.ClientAs(TestKeys.Invoker).GetAsync(new Uri("/metrics", UriKind.Relative));
        using var anonymous = await app.ClientAs(null).GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, invoker.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public void HttpClient_logs_only_warnings_by_default()
    {
        using var app = new TestApp();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("System.Net.Http.HttpClient.request-steps.LogicalHandler");

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name) as string;
}
