using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.DependencyInjection;
using AsyncFunctions.Executions;
using AsyncFunctions.Recording;
using AsyncFunctions.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AsyncFunctions.Core.Tests;

/// <summary>
/// The recorder with the core's real observers (waiters, event streams, telemetry) over the
/// in-memory store, and an observer of its own in the place of the Hangfire ones (resumes,
/// webhooks): every source of a status change gets every side effect. The fake clock stands
/// still, so only the recorder can wake a waiter (its poll would come in 5 minutes).
/// </summary>
public sealed class StatusChangeRecorderTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryExecutionStore _store = new();
    private readonly Seen _seen = new();
    private readonly ServiceProvider _services;
    private readonly string _function = "recorder." + Guid.NewGuid().ToString("N");

    public StatusChangeRecorderTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IExecutionStore>(_store);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddAsyncFunctionsCore();
        services.Configure<AwaitOptions>(o =>
        {
            o.PollMinInterval = TimeSpan.FromMinutes(5);
            o.PollMaxInterval = TimeSpan.FromMinutes(5);
            o.MaxTimeout = TimeSpan.FromDays(1);
        });
        services.AddSingleton<IStatusChangeObserver>(_seen);
        _services = services.BuildServiceProvider();
    }

    private StatusChangeRecorder Recorder => _services.GetRequiredService<StatusChangeRecorder>();

    public void Dispose() => _services.Dispose();

    public static TheoryData<StatusChangeSource, ExecutionStatus> SourcesAndOutcomes()
    {
        var data = new TheoryData<StatusChangeSource, ExecutionStatus>();
        foreach (var source in Enum.GetValues<StatusChangeSource>())
        {
            data.Add(source, ExecutionStatus.Failed);
            if (source is StatusChangeSource.JobState or StatusChangeSource.SyncRun)
            {
                data.Add(source, ExecutionStatus.Succeeded);
                data.Add(source, ExecutionStatus.Cancelled);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SourcesAndOutcomes))]
    public async Task Every_source_of_a_final_status_gets_the_write_the_waiter_the_event_stream_the_metric_and_every_observer(StatusChangeSource source, ExecutionStatus outcome)
    {
        var id = await RunningExecutionAsync();
        var awaiter = _services.GetRequiredService<IExecutionAwaiter>();
        using var watch = _services.GetRequiredService<ExecutionChangeFeed>().Watch([id]);
        using var metrics = new Measurements(_function);
        var waiting = awaiter.AwaitAsync([id], TimeSpan.FromHours(1));
        Assert.False(waiting.IsCompleted);

        var at = _time.GetUtcNow().AddSeconds(1);
        var applied = await Recorder.RecordAsync(
            new StatusChange(id, _function, outcome, at) { Output = outcome == ExecutionStatus.Succeeded ? JsonValue.Create("out") : null, Error = outcome == ExecutionStatus.Succeeded ? null : new ExecutionError("E", "ended", "x.y") },
            new StatusChangeOrigin(source) { HasCallback = true, CreatedAt = at.AddSeconds(-3) });

        Assert.True(applied);
        Assert.Equal(outcome, (await _store.GetAsync(id))!.Status);
        var woken = await waiting.WaitAsync(Generous);
        Assert.True(woken.Completed);
        Assert.Equal(outcome, woken.Results[0].Status);
        Assert.Equal([id], await watch.WaitAsync(TimeSpan.Zero, _time, CancellationToken.None));
        Assert.Equal(1, metrics.Count(outcome switch
        {
            ExecutionStatus.Succeeded => "asyncfunctions.executions.succeeded",
            ExecutionStatus.Failed => "asyncfunctions.executions.failed",
            _ => "asyncfunctions.executions.cancelled",
        }));
        Assert.Equal([3000d], metrics.Values("asyncfunctions.execution.duration"));
        var seen = Assert.Single(_seen.Changes);
        Assert.True(seen.Finished);
        Assert.True(seen.IsNewOutcome);
        Assert.Equal(source, seen.Origin.Source);
    }

    [Theory]
    [InlineData(StatusChangeSource.JobState, true)]
    [InlineData(StatusChangeSource.SyncRun, false)]
    [InlineData(StatusChangeSource.LeaseExpired, false)]
    [InlineData(StatusChangeSource.StartupRecovery, false)]
    public async Task A_final_status_already_written_wakes_nothing_and_is_reported_again_only_for_a_job(StatusChangeSource source, bool reportedAgain)
    {
        var id = await RunningExecutionAsync();
        var change = new StatusChange(id, _function, ExecutionStatus.Failed, _time.GetUtcNow().AddSeconds(1)) { Error = new ExecutionError("E", "ended", "x.y") };
        Assert.True(await _store.ApplyAsync(change));
        using var watch = _services.GetRequiredService<ExecutionChangeFeed>().Watch([id]);
        using var metrics = new Measurements(_function);

        // A Hangfire state change made again after a crash finds the record already finished.
        Assert.False(await Recorder.RecordAsync(change, new StatusChangeOrigin(source)));

        Assert.Empty(await watch.WaitAsync(TimeSpan.Zero, _time, CancellationToken.None));
        Assert.Equal(0, metrics.Count("asyncfunctions.executions.failed"));
        var seen = Assert.Single(_seen.Changes);
        Assert.False(seen.Finished);
        Assert.Equal(reportedAgain, seen.IsNewOutcome);
    }

    [Fact]
    public async Task A_job_leaving_a_final_state_for_another_is_no_new_outcome()
    {
        var id = await RunningExecutionAsync();
        await Recorder.RecordAsync(new StatusChange(id, _function, ExecutionStatus.Cancelled, _time.GetUtcNow().AddSeconds(1)), new StatusChangeOrigin(StatusChangeSource.JobState) { LeavesFinishedState = true });

        Assert.False(Assert.Single(_seen.Changes).IsNewOutcome);
    }

    [Fact]
    public async Task A_retry_and_a_suspension_are_counted_and_streamed_but_wake_no_waiter()
    {
        var id = await RunningExecutionAsync();
        using var watch = _services.GetRequiredService<ExecutionChangeFeed>().Watch([id]);
        using var metrics = new Measurements(_function);
        var waiting = _services.GetRequiredService<IExecutionAwaiter>().AwaitAsync([id], TimeSpan.FromHours(1));

        await Recorder.RecordAsync(new StatusChange(id, _function, ExecutionStatus.Scheduled, _time.GetUtcNow().AddSeconds(1)) { Error = new ExecutionError("E", "attempt failed", "x.y") }, new StatusChangeOrigin(StatusChangeSource.JobState));
        await Recorder.RecordAsync(new StatusChange(id, _function, ExecutionStatus.Processing, _time.GetUtcNow().AddSeconds(2)), new StatusChangeOrigin(StatusChangeSource.JobState));
        await Recorder.RecordAsync(new StatusChange(id, _function, ExecutionStatus.Awaiting, _time.GetUtcNow().AddSeconds(3)), new StatusChangeOrigin(StatusChangeSource.JobState));

        Assert.Equal(1, metrics.Count("asyncfunctions.executions.retried"));
        Assert.Equal(1, metrics.Count("asyncfunctions.executions.suspended"));
        Assert.Equal([id], await watch.WaitAsync(TimeSpan.Zero, _time, CancellationToken.None));
        Assert.False(waiting.IsCompleted);
        Assert.All(_seen.Changes, c => Assert.False(c.Finished));
    }

    [Fact]
    public void Observers_run_in_their_documented_order()
    {
        var orders = Recorder.Observers.Select(o => o.Order).ToArray();

        Assert.Equal(orders.Order(), orders);
        Assert.Equal(
            [StatusChangeOrder.Waiters, Seen.ItsOrder, StatusChangeOrder.EventStreams, StatusChangeOrder.Telemetry],
            orders);
    }

    [Fact]
    public async Task An_observer_that_throws_stops_no_other_and_its_failure_reaches_the_source()
    {
        var id = await RunningExecutionAsync();
        var after = new Seen();
        var recorder = new StatusChangeRecorder(_store, [new Throwing(), after]);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            recorder.RecordAsync(new StatusChange(id, _function, ExecutionStatus.Succeeded, _time.GetUtcNow().AddSeconds(1)), new StatusChangeOrigin(StatusChangeSource.SyncRun)));

        Assert.Equal("observer failed", failure.Message);
        Assert.Single(after.Changes);
        Assert.Equal(ExecutionStatus.Succeeded, (await _store.GetAsync(id))!.Status);
    }

    [Fact]
    public async Task A_creation_with_a_callback_url_but_no_callback_store_is_refused()
    {
        var recorder = new StatusChangeRecorder(_store, []);

        await Assert.ThrowsAsync<AsyncFunctions.Webhooks.CallbacksNotConfiguredException>(() => recorder.CreateAsync(
            new NewExecution("c1", _function, null, ExecutionStatus.Enqueued, [], null, _time.GetUtcNow()) { CallbackUrl = "https://example.com/hook" }));
    }

    private async Task<string> RunningExecutionAsync()
    {
        var id = Guid.NewGuid().ToString();
        await _store.CreateAsync(new NewExecution(id, _function, null, ExecutionStatus.Enqueued, [], null, _time.GetUtcNow()));
        await _store.ApplyAsync(new StatusChange(id, _function, ExecutionStatus.Processing, _time.GetUtcNow()));
        return id;
    }

    private sealed class Seen : IStatusChangeObserver
    {
        public const int ItsOrder = 250;

        public ConcurrentQueue<RecordedStatusChange> Changes { get; } = new();

        public int Order => ItsOrder;

        public ValueTask OnRecordedAsync(RecordedStatusChange change, CancellationToken cancellationToken)
        {
            Changes.Enqueue(change);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Throwing : IStatusChangeObserver
    {
        public int Order => 0;

        public ValueTask OnRecordedAsync(RecordedStatusChange change, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("observer failed");
    }

    /// <summary>What the instruments of <see cref="ExecutionTelemetry"/> measured for one function (tests run in parallel).</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value)> _measured = new();

        public Measurements(string function)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ExecutionTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags, function));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags, function));
            _listener.Start();
        }

        public int Count(string instrument) => (int)_measured.Where(m => m.Instrument == instrument).Sum(m => m.Value);

        public double[] Values(string instrument) => _measured.Where(m => m.Instrument == instrument).Select(m => m.Value).ToArray();

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, string function)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "function" && Equals(tag.Value, function))
                {
                    _measured.Enqueue((instrument.Name, value));
                }
            }
        }
    }
}
