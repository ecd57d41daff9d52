using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Core.Tests;

public sealed class ExecutionAwaiterTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private readonly InMemoryExecutionStore _store = new();
    private readonly ExecutionAwaiter _awaiter;

    public ExecutionAwaiterTests() => _awaiter = Create(new AwaitOptions
    {
        // Polling this slow cannot explain a prompt wake-up: only Publish can.
        PollMinInterval = TimeSpan.FromMinutes(5),
        PollMaxInterval = TimeSpan.FromMinutes(5),
    });

    public void Dispose() => _awaiter.Dispose();

    [Fact]
    public async Task Results_come_in_request_order_with_each_status()
    {
        _store.Put("a", ExecutionStatus.Succeeded, JsonValue.Create(1));
        _store.Put("b", ExecutionStatus.Failed, error: new ExecutionError("E", "boom", "x"));
        _store.Put("c", ExecutionStatus.Succeeded, JsonValue.Create(3));

        var outcome = await _awaiter.AwaitAsync(["c", "a", "b", "a"], Long);

        Assert.True(outcome.Completed);
        Assert.Equal(["c", "a", "b", "a"], outcome.Results.Select(r => r.Id));
        Assert.Equal(ExecutionStatus.Failed, outcome.Results[2].Status);
        Assert.Equal("boom", outcome.Results[2].Error!.Message);
        Assert.Equal(3, outcome.Results[0].Output!.GetValue<int>());
    }

    [Fact]
    public async Task A_published_completion_wakes_the_waiter_without_polling()
    {
        _store.Put("a", ExecutionStatus.Processing);
        var waiting = _awaiter.AwaitAsync(["a"], Long);
        await WaitUntil(() => _store.ResultQueries >= 1);
        Assert.False(waiting.IsCompleted);

        _awaiter.Publish(new ExecutionResult("a", ExecutionStatus.Succeeded, JsonValue.Create("done"), null));
        var outcome = await waiting.WaitAsync(Long);

        Assert.True(outcome.Completed);
        Assert.Equal("done", outcome.Results[0].Output!.GetValue<string>());
    }

    [Fact]
    public async Task Non_terminal_publications_do_not_wake_the_waiter()
    {
        _store.Put("a", ExecutionStatus.Enqueued);
        var outcome = _awaiter.AwaitAsync(["a"], TimeSpan.FromMilliseconds(200));
        _awaiter.Publish(new ExecutionResult("a", ExecutionStatus.Processing, null, null));

        Assert.False((await outcome).Completed);
    }

    [Fact]
    public async Task A_timeout_is_not_an_error_and_reports_the_current_status()
    {
        _store.Put("done", ExecutionStatus.Succeeded);
        _store.Put("slow", ExecutionStatus.Enqueued);
        var outcome = _awaiter.AwaitAsync(["done", "slow"], TimeSpan.FromMilliseconds(300));
        await WaitUntil(() => _store.ResultQueries >= 1);
        _store.Put("slow", ExecutionStatus.Processing);

        var result = await outcome;

        Assert.False(result.Completed);
        Assert.Equal([ExecutionStatus.Succeeded, ExecutionStatus.Processing], result.Results.Select(r => r.Status));
    }

    [Fact]
    public async Task Unknown_ids_are_named_in_the_error()
    {
        _store.Put("a", ExecutionStatus.Succeeded);

        var error = await Assert.ThrowsAsync<UnknownExecutionsException>(() => _awaiter.AwaitAsync(["a", "x", "y"], Long));

        Assert.Equal(["x", "y"], error.Ids);
        Assert.Contains("x, y", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completions_written_by_another_process_are_found_by_polling()
    {
        using var polling = Create(new AwaitOptions { PollMinInterval = TimeSpan.FromMilliseconds(10), PollMaxInterval = TimeSpan.FromMilliseconds(50) });
        _store.Put("a", ExecutionStatus.Processing);
        _store.Put("b", ExecutionStatus.Processing);
        var waiting = polling.AwaitAsync(["a", "b"], Long);

        _store.Put("a", ExecutionStatus.Succeeded, JsonValue.Create(1));
        _store.Put("b", ExecutionStatus.Cancelled);
        var outcome = await waiting.WaitAsync(Long);

        Assert.True(outcome.Completed);
        Assert.Equal([ExecutionStatus.Succeeded, ExecutionStatus.Cancelled], outcome.Results.Select(r => r.Status));
    }

    [Fact]
    public async Task One_poll_query_serves_every_waiter_of_the_node()
    {
        using var polling = Create(new AwaitOptions { PollMinInterval = TimeSpan.FromMilliseconds(20), PollMaxInterval = TimeSpan.FromMilliseconds(20) });
        var ids = Enumerable.Range(0, 50).Select(i => $"e{i}").ToArray();
        foreach (var id in ids)
        {
            _store.Put(id, ExecutionStatus.Processing);
        }

        var waits = ids.Select(id => polling.AwaitAsync([id], Long)).ToArray();
        await WaitUntil(() => _store.QuerySizes.Contains(50));
        foreach (var id in ids)
        {
            _store.Put(id, ExecutionStatus.Succeeded);
        }

        var outcomes = await Task.WhenAll(waits).WaitAsync(Long);

        // Each waiter read its own id once; the poll then asked for all fifty ids in one query per round.
        Assert.All(outcomes, o => Assert.True(o.Completed));
        Assert.Contains(50, _store.QuerySizes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task The_number_of_ids_is_bounded(int count)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _awaiter.AwaitAsync(Enumerable.Range(0, count).Select(i => $"{i}").ToArray(), Long));
        Assert.Contains("1 to 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_ids_are_refused_with_their_position()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _awaiter.AwaitAsync(["a", " "], Long));
        Assert.StartsWith("ids[1] is empty", error.Message, StringComparison.Ordinal);
    }

    private ExecutionAwaiter Create(AwaitOptions options) =>
        new(_store, Options.Create(options), TimeProvider.System, NullLogger<ExecutionAwaiter>.Instance);

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Long;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(5);
        }
    }
}
