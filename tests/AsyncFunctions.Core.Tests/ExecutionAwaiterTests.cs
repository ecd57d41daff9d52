using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AsyncFunctions.Core.Tests;

/// <summary>
/// The awaiter on a fake clock: its timeouts and its poll of the results table advance only when
/// a test moves the clock, so no test depends on how fast this machine runs.
/// </summary>
public sealed class ExecutionAwaiterTests : IDisposable
{
    /// <summary>A bound in real time on how long a test waits for the awaiter's own threads; never reached when all is well.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(5);

    /// <summary>Longer than any test moves the fake clock (and within what Task.WaitAsync accepts).</summary>
    private static readonly TimeSpan Forever = TimeSpan.FromDays(30);

    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryExecutionStore _store = new();
    private readonly ExecutionAwaiter _awaiter;

    public ExecutionAwaiterTests() => _awaiter = Create();

    public void Dispose() => _awaiter.Dispose();

    [Fact]
    public async Task Results_come_in_request_order_with_each_status()
    {
        _store.Put("a", ExecutionStatus.Succeeded, JsonValue.Create(1));
        _store.Put("b", ExecutionStatus.Failed, error: new ExecutionError("E", "boom", "x"));
        _store.Put("c", ExecutionStatus.Succeeded, JsonValue.Create(3));

        var outcome = await _awaiter.AwaitAsync(["c", "a", "b", "a"], TimeSpan.FromMinutes(1));

        Assert.True(outcome.Completed);
        Assert.Equal(["c", "a", "b", "a"], outcome.Results.Select(r => r.Id));
        Assert.Equal(ExecutionStatus.Failed, outcome.Results[2].Status);
        Assert.Equal("boom", outcome.Results[2].Error!.Message);
        Assert.Equal(3, outcome.Results[0].Output!.GetValue<int>());
        Assert.Equal(1, _store.ResultQueries);
    }

    [Fact]
    public async Task A_notification_of_a_result_published_here_reads_nothing()
    {
        _store.Put("a", ExecutionStatus.Processing);
        _store.Put("b", ExecutionStatus.Processing);
        var waiting = _awaiter.AwaitAsync(["a", "b"], TimeSpan.FromMinutes(1));
        Assert.Equal(1, _store.ResultQueries);

        // This node finished "a" and published it; the database's notice of the same commit follows.
        _awaiter.Publish(new ExecutionResult("a", ExecutionStatus.Succeeded, JsonValue.Create("done"), null));
        _awaiter.Signal(["a"]);
        await Task.Delay(300);

        Assert.Equal(1, _store.ResultQueries);
        Assert.False(waiting.IsCompleted);
        _awaiter.Publish(new ExecutionResult("b", ExecutionStatus.Succeeded, null, null));
        Assert.True((await waiting.WaitAsync(Generous)).Completed);
    }

    [Fact]
    public async Task A_notification_reads_the_notified_ids_alone()
    {
        var ids = Enumerable.Range(0, 10).Select(i => $"n{i}").ToArray();
        foreach (var id in ids)
        {
            _store.Put(id, ExecutionStatus.Processing);
        }

        var waiting = _awaiter.AwaitAsync(ids, TimeSpan.FromMinutes(1));
        _store.Put("n4", ExecutionStatus.Succeeded, JsonValue.Create(4));
        _awaiter.Signal(["n4", "unknown"]);

        var deadline = DateTime.UtcNow + Generous;
        while (_store.ResultQueries < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the notification was not read");
            await Task.Delay(10);
        }

        Assert.Equal([10, 1], _store.QuerySizes);
        Assert.False(waiting.IsCompleted);
    }

    [Fact]
    public async Task A_published_completion_wakes_the_waiter_without_polling()
    {
        _store.Put("a", ExecutionStatus.Processing);
        var waiting = _awaiter.AwaitAsync(["a"], TimeSpan.FromMinutes(1));
        Assert.False(waiting.IsCompleted);

        // The clock stands still: no poll round and no timeout can happen, only Publish.
        _awaiter.Publish(new ExecutionResult("a", ExecutionStatus.Succeeded, JsonValue.Create("done"), null));
        var outcome = await waiting.WaitAsync(Generous);

        Assert.True(outcome.Completed);
        Assert.Equal("done", outcome.Results[0].Output!.GetValue<string>());
        Assert.Equal(1, _store.ResultQueries);
    }

    [Fact]
    public async Task Non_terminal_publications_do_not_wake_the_waiter()
    {
        _store.Put("a", ExecutionStatus.Enqueued);
        var waiting = _awaiter.AwaitAsync(["a"], TimeSpan.FromSeconds(10));
        _awaiter.Publish(new ExecutionResult("a", ExecutionStatus.Processing, null, null));

        _time.Advance(TimeSpan.FromSeconds(10));
        var outcome = await waiting.WaitAsync(Generous);

        Assert.False(outcome.Completed);
        Assert.Equal(ExecutionStatus.Enqueued, outcome.Results[0].Status);
    }

    [Fact]
    public async Task A_timeout_is_not_an_error_and_reports_the_current_status()
    {
        _store.Put("done", ExecutionStatus.Succeeded);
        _store.Put("slow", ExecutionStatus.Enqueued);
        var waiting = _awaiter.AwaitAsync(["done", "slow"], TimeSpan.FromSeconds(10));
        _store.Put("slow", ExecutionStatus.Processing);

        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromTicks(1));
        var outcome = await waiting.WaitAsync(Generous);

        Assert.False(outcome.Completed);
        Assert.Equal([ExecutionStatus.Succeeded, ExecutionStatus.Processing], outcome.Results.Select(r => r.Status));
    }

    [Fact]
    public async Task Unknown_ids_are_named_in_the_error()
    {
        _store.Put("a", ExecutionStatus.Succeeded);

        var error = await Assert.ThrowsAsync<UnknownExecutionsException>(() => _awaiter.AwaitAsync(["a", "x", "y"], TimeSpan.FromMinutes(1)));

        Assert.Equal(["x", "y"], error.Ids);
        Assert.Contains("x, y", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completions_written_by_another_process_are_found_by_polling_on_the_awaiters_clock()
    {
        _store.Put("a", ExecutionStatus.Processing);
        _store.Put("b", ExecutionStatus.Processing);
        var waiting = _awaiter.AwaitAsync(["a", "b"], Forever);

        _store.Put("a", ExecutionStatus.Succeeded, JsonValue.Create(1));
        _store.Put("b", ExecutionStatus.Cancelled);
        await AdvanceUntilPolled();
        var outcome = await waiting.WaitAsync(Generous);

        // A poll interval of five minutes passed on the fake clock only: the poll keeps the awaiter's time.
        Assert.True(outcome.Completed);
        Assert.Equal([ExecutionStatus.Succeeded, ExecutionStatus.Cancelled], outcome.Results.Select(r => r.Status));
        Assert.Equal([2, 2], _store.QuerySizes);
    }

    [Fact]
    public async Task One_poll_query_serves_every_waiter_of_the_node()
    {
        var ids = Enumerable.Range(0, 50).Select(i => $"e{i}").ToArray();
        foreach (var id in ids)
        {
            _store.Put(id, ExecutionStatus.Processing);
        }

        var waits = ids.Select(id => _awaiter.AwaitAsync([id], Forever)).ToArray();
        foreach (var id in ids)
        {
            _store.Put(id, ExecutionStatus.Succeeded);
        }

        await AdvanceUntilPolled();
        var outcomes = await Task.WhenAll(waits).WaitAsync(Generous);

        // Each waiter read its own id once; one poll round then asked for all fifty ids in one query.
        Assert.All(outcomes, o => Assert.True(o.Completed));
        Assert.Equal([.. Enumerable.Repeat(1, 50), 50], _store.QuerySizes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task The_number_of_ids_is_bounded(int count)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _awaiter.AwaitAsync(Enumerable.Range(0, count).Select(i => $"{i}").ToArray(), TimeSpan.FromMinutes(1)));
        Assert.Contains("1 to 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_ids_are_refused_with_their_position()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _awaiter.AwaitAsync(["a", " "], TimeSpan.FromMinutes(1)));
        Assert.StartsWith("ids[1] is empty", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Polls every five minutes of the fake clock: on the real clock it would never poll within a test.</summary>
    private ExecutionAwaiter Create() =>
        new(_store, Options.Create(new AwaitOptions { PollMinInterval = Poll, PollMaxInterval = Poll, MaxTimeout = Forever }), _time, NullLogger<ExecutionAwaiter>.Instance);

    /// <summary>
    /// Moves the fake clock one poll interval at a time until the poll loop queried the store once
    /// (it runs on a thread of its own and may arm its timer a little after a step), then stops,
    /// so no second round can follow.
    /// </summary>
    private async Task AdvanceUntilPolled()
    {
        var before = _store.ResultQueries;
        var deadline = DateTime.UtcNow + Generous;
        while (_store.ResultQueries == before)
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            _time.Advance(Poll);
            await Task.Delay(10);
        }
    }
}
