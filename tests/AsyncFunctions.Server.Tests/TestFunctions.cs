using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;

namespace AsyncFunctions.Server.Tests;

/// <summary>Functions that exercise nesting, retries and await from inside a job.</summary>
public static class TestFunctions
{
    public static void Register(FunctionRegistry registry)
    {
        registry.AddFunction<FanOut>("tests.fanout")
            .Input(new InputDeclaration { Name = "count", Type = InputType.Int, Required = true, Min = 1, Max = 100 });
        registry.AddFunction<AwaitChild>("tests.await_child")
            .Input(new InputDeclaration { Name = "timeoutMs", Type = InputType.Int, Required = true });
        registry.AddFunction<Flaky>("tests.flaky").Retries(2, 0);
        registry.AddFunction<Slow>("tests.slow").WithTimeout(TimeSpan.FromMilliseconds(200));
        registry.AddFunction<InterruptedDriver>("tests.interrupted_driver");
        registry.AddFunction<Gated>("tests.gated")
            .Input(new InputDeclaration { Name = "gate", Type = InputType.Text, Required = true })
            .Input(new InputDeclaration { Name = "value", Type = InputType.Any, Nullable = true });
        registry.AddFunction<WhereItRuns>("tests.where_it_runs");
        registry.AddFunction<Broken>("tests.unhandled");
    }

    /// <summary>Throws an exception it does not handle, as a bug in a C# function would.</summary>
    public sealed class Broken : IAsyncFunction
    {
        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("broken on purpose");
    }

    /// <summary>Returns whether its body ran on a thread-pool thread, and the thread's name.</summary>
    public sealed class WhereItRuns : IAsyncFunction
    {
        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
            Task.FromResult<JsonNode?>(new JsonObject
            {
                ["poolThread"] = Thread.CurrentThread.IsThreadPoolThread,
                ["thread"] = Thread.CurrentThread.Name,
            });
    }

    /// <summary>Gates the test opens: every <see cref="Gated"/> execution waiting on one finishes when it opens.</summary>
    public static class Gates
    {
        private static readonly ConcurrentDictionary<string, TaskCompletionSource> Open = new();

        public static Task WhenOpen(string gate) => Open.GetOrAdd(gate, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public static void Release(string gate) => Open.GetOrAdd(gate, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Returns <c>value</c> once the test opens its gate, so many executions can finish at the same moment.</summary>
    public sealed class Gated : IAsyncFunction
    {
        public async Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
        {
            await Gates.WhenOpen(context.Input["gate"]!.GetValue<string>()).WaitAsync(cancellationToken);
            return context.Input["value"]?.DeepClone();
        }
    }

    /// <summary>Starts <c>count</c> echo children and returns their outputs in order.</summary>
    public sealed class FanOut : IAsyncFunction
    {
        public async Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
        {
            var count = context.Input["count"]!.GetValue<long>();
            var ids = new List<string>();
            for (var i = 0; i < count; i++)
            {
                ids.Add(await context.StartAsync("examples.echo", new JsonObject { ["value"] = i }, cancellationToken));
            }

            var outcome = await context.AwaitAsync(ids, TimeSpan.FromSeconds(30), cancellationToken);
            return new JsonArray(outcome.Results.Select(r => r.Output?.DeepClone()).ToArray());
        }
    }

    /// <summary>Starts one echo child and awaits it from inside the job.</summary>
    public sealed class AwaitChild : IAsyncFunction
    {
        public async Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
        {
            var id = await context.StartAsync("examples.echo", new JsonObject { ["value"] = "child" }, cancellationToken);
            var outcome = await context.AwaitAsync([id], TimeSpan.FromMilliseconds(context.Input["timeoutMs"]!.GetValue<long>()), cancellationToken);
            return outcome.Results[0].Output?.DeepClone();
        }
    }

    /// <summary>Fails on its first attempt of each execution, succeeds on the next.</summary>
    public sealed class Flaky : IAsyncFunction
    {
        private static readonly ConcurrentDictionary<string, int> Attempts = new();

        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
            Attempts.AddOrUpdate(context.ExecutionId, 1, (_, n) => n + 1) == 1
                ? throw new FunctionException("tests.flaky", "first attempt fails")
                : Task.FromResult<JsonNode?>(JsonValue.Create(context.Execution.Attempt));
    }

    /// <summary>Runs longer than its 200 ms timeout.</summary>
    public sealed class Slow : IAsyncFunction
    {
        public async Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            return null;
        }
    }

    /// <summary>Waits, and reports its cancellation as an error of its own, as some database drivers do.</summary>
    public sealed class InterruptedDriver : IAsyncFunction
    {
        public async Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(60), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new InvalidOperationException("interrupted");
            }

            return null;
        }
    }
}
