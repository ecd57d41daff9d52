using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The audit's bypasses of the JavaScript limits, each a single native call that allocates far
/// past the memory limit or runs far past the time limit: four executions of each at once fail
/// with a limit code, the server's own memory stays bounded, and a function's timeout ends a
/// native call that would not stop by itself. The server runs inside the test process, so these
/// tests run alone (no other test's server beside them) and measure how far the process grows
/// while the bypasses run; without the sandbox four of them took it to 11.6 GB.
/// </summary>
[Collection(nameof(SandboxLimitApiTests))]
public sealed class SandboxLimitApiTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestApp _app = new();

    public void Dispose() => _app.Dispose();

    public static TheoryData<string, string> Bypasses() => new()
    {
        { "template", "const s = 'x'.repeat(1e7); return `" + string.Concat(Enumerable.Repeat("${s}", 50)) + "`.length;" },
        { "stringify", "const s = 'x'.repeat(1e6); return JSON.stringify(new Array(1000).fill(s), []).length;" },
        { "uricomponent", "return encodeURIComponent(encodeURIComponent('\\u0800'.repeat(3e7))).length;" },
        { "uri", "return encodeURI(encodeURI('\\u0800'.repeat(3e7))).length;" },
        { "escape", "return escape(escape('\\u0800'.repeat(3e7))).length;" },
        { "raw", "return String.raw({ raw: new Array(1e6).fill('x'.repeat(300)) }).length;" },
    };

    [Theory]
    [MemberData(nameof(Bypasses))]
    public async Task Four_concurrent_executions_of_a_bypass_fail_with_a_limit_and_the_server_stays_small(string name, string code)
    {
        await _app.SaveStackAsync($$"""{ "name": "tests.bypass.{{name}}", "stack": [ { "lambda": {{JsonSerializer.Serialize(code)}}, "as": "r" } ], "response": "=$var.r" }""");
        await WarmUpAsync();
        await using var sampler = new MemorySampler();

        var ids = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _app.StartAsync($"tests.bypass.{name}", new { })));
        var records = await Task.WhenAll(ids.Select(id => _app.GetAsync($"/api/executions/{id}?waitSeconds=60")));

        foreach (var record in records)
        {
            Assert.Equal("Failed", record["status"]!.GetValue<string>());
            Assert.StartsWith("limit.", record["error"]!["code"]!.GetValue<string>(), StringComparison.Ordinal);
            var seconds = Seconds(record);
            output.WriteLine($"{name}: {record["error"]!["code"]} after {seconds:0.000} s");
            // About a second each on a quiet machine; generous, since a loaded one is many times slower.
            Assert.InRange(seconds, 0, 20);
        }

        output.WriteLine($"{name}: the server's largest working set {sampler.Peak / 1024 / 1024} MB, {sampler.Growth / 1024 / 1024} MB above its size before the executions");
        Assert.InRange(sampler.Growth, long.MinValue, 512L * 1024 * 1024);
    }

    [Fact]
    public async Task A_function_timeout_ends_a_native_call_that_would_run_on()
    {
        await _app.SaveStackAsync("""
            { "name": "tests.bypass.regex", "timeoutSeconds": 2,
              "stack": [ { "lambda": "return /^(a+)+$/.test('a'.repeat(40) + 'b');", "as": "r" } ], "response": "=$var.r" }
            """);

        var id = await _app.StartAsync("tests.bypass.regex", new { });
        var record = await _app.GetAsync($"/api/executions/{id}?waitSeconds=60");

        Assert.Equal("Failed", record["status"]!.GetValue<string>());
        Assert.Equal("execution.timeout", record["error"]!["code"]!.GetValue<string>());
        var seconds = Seconds(record);
        output.WriteLine($"regex under timeoutSeconds 2: execution.timeout after {seconds:0.000} s");
        // Before the sandbox the call ran to the engine's own 5 s regex timeout (5.5 s measured); generous for a busy machine.
        Assert.InRange(seconds, 1.5, 4.5);

        var healthy = await _app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = 1 }, mode = "sync" }, HttpStatusCode.OK);
        Assert.Equal("1", healthy["output"]!.ToJsonString());
    }

    /// <summary>Runs lambdas until the server's sandbox processes are started and warm, as they are in a server that has run JavaScript before.</summary>
    private async Task WarmUpAsync()
    {
        await _app.SaveStackAsync("""{ "name": "tests.bypass.warm", "stack": [ { "lambda": "return 1;", "as": "r" } ], "response": "=$var.r" }""");
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _app.PostAsync("/api/functions/tests.bypass.warm/executions", new { mode = "sync" }, HttpStatusCode.OK)));
        }
    }

    private static double Seconds(JsonObject record) =>
        (record["completedAt"]!.GetValue<DateTimeOffset>() - record["startedAt"]!.GetValue<DateTimeOffset>()).TotalSeconds;

    /// <summary>Samples this process's working set (the server runs in it) every 20 ms.</summary>
    private sealed class MemorySampler : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private readonly long _start;
        private long _peak;

        public MemorySampler()
        {
            using (var process = Process.GetCurrentProcess())
            {
                _start = process.WorkingSet64;
            }

            _sampling = Task.Run(SampleAsync);
        }

        private async Task SampleAsync()
        {
            using var self = Process.GetCurrentProcess();
            while (!_stop.IsCancellationRequested)
            {
                self.Refresh();
                _peak = Math.Max(_peak, self.WorkingSet64);
                try
                {
                    await Task.Delay(20, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        public long Peak => Interlocked.Read(ref _peak);

        /// <summary>How far the process grew above its size when sampling began.</summary>
        public long Growth => Peak - _start;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _sampling;
            _stop.Dispose();
        }
    }
}

/// <summary>Runs <see cref="SandboxLimitApiTests"/> alone, so the process's growth is theirs.</summary>
[CollectionDefinition(nameof(SandboxLimitApiTests), DisableParallelization = true)]
public sealed class SandboxLimitApiCollection;
