using System.Text.Json.Nodes;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Client.Tests;

/// <summary>Starting, reading, long-polling, awaiting, watching, cancelling and retrying through the client, against the real server.</summary>
public sealed class ExecutionClientTests(ClientApp shared) : IClassFixture<ClientApp>
{
    [Fact]
    public async Task A_started_execution_is_long_polled_to_its_output()
    {
        var client = shared.Client();

        var started = await client.StartAsync("examples.echo", new { value = new { n = 42 } });
        var read = await client.GetAsync(started.Id, waitSeconds: 30);

        Assert.Equal(ExecutionStatus.Succeeded, read.Status);
        Assert.Equal("""{"n":42}""", read.Output!.ToJsonString());
    }

    [Fact]
    public async Task Await_answers_each_result_in_request_order()
    {
        var client = shared.Client();
        var first = await client.StartAsync("examples.echo", new { value = 1 });
        var second = await client.StartAsync("examples.echo", new JsonObject { ["value"] = 2 });

        var awaited = await client.AwaitAsync([second.Id, first.Id], TimeSpan.FromSeconds(30));
        var one = await client.AwaitAsync(first.Id, TimeSpan.FromSeconds(30));

        Assert.True(awaited.Completed);
        Assert.Equal([second.Id, first.Id], awaited.Results.Select(r => r.Id));
        Assert.Equal(["2", "1"], awaited.Results.Select(r => r.Output!.ToJsonString()));
        Assert.Equal(ExecutionStatus.Succeeded, one.Status);
    }

    [Fact]
    public async Task A_repeated_start_with_the_same_idempotency_key_answers_the_first_execution()
    {
        var client = shared.Client();
        var options = new StartOptions { IdempotencyKey = Guid.NewGuid().ToString("N") };

        var first = await client.StartAsync("examples.echo", new { value = "once" }, options);
        var again = await client.StartAsync("examples.echo", new { value = "once" }, options);

        Assert.Equal(first.Id, again.Id);
    }

    [Fact]
    public async Task A_delayed_start_is_scheduled_then_cancelled_then_retried()
    {
        var client = shared.Client();

        var later = await client.StartAsync("examples.echo", new { value = "later" }, new StartOptions { Delay = TimeSpan.FromHours(1) });
        var cancelled = await client.CancelAsync(later.Id, children: true);
        var retried = await client.RetryAsync(later.Id);
        var finished = await client.GetAsync(retried.Id, waitSeconds: 30);

        Assert.Equal(ExecutionStatus.Scheduled, later.Status);
        Assert.Equal(ExecutionStatus.Cancelled, cancelled.Status);
        Assert.Equal(ExecutionStatus.Succeeded, finished.Status);
    }

    [Fact]
    public async Task A_start_at_a_time_is_scheduled_for_it()
    {
        var client = shared.Client();

        var later = await client.StartAsync("examples.echo", new { value = 1 }, new StartOptions { RunAt = DateTimeOffset.UtcNow.AddDays(1) });

        Assert.Equal(ExecutionStatus.Scheduled, later.Status);
        await client.CancelAsync(later.Id);
    }

    [Fact]
    public async Task Watch_yields_the_record_at_each_change_until_it_is_finished()
    {
        var client = shared.Client();
        var started = await client.StartAsync("examples.echo", new { value = "watched", delayMs = 300 });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<ExecutionRecord>();
        await foreach (var record in client.WatchAsync(started.Id, timeout.Token))
        {
            seen.Add(record);
        }

        Assert.NotEmpty(seen);
        Assert.All(seen, r => Assert.Equal(started.Id, r.Id));
        Assert.Equal(ExecutionStatus.Succeeded, seen[^1].Status);
        Assert.Equal("\"watched\"", seen[^1].Output!.ToJsonString());
    }

    [Fact]
    public async Task Watch_of_several_executions_ends_when_all_are_finished()
    {
        var client = shared.Client();
        var a = await client.StartAsync("examples.echo", new { value = "a" });
        var b = await client.StartAsync("examples.echo", new { value = "b" });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var last = new Dictionary<string, ExecutionStatus>();
        await foreach (var record in client.WatchAsync([a.Id, b.Id], timeout.Token))
        {
            last[record.Id] = record.Status;
        }

        Assert.Equal(ExecutionStatus.Succeeded, last[a.Id]);
        Assert.Equal(ExecutionStatus.Succeeded, last[b.Id]);
    }

    [Fact]
    public async Task Run_answers_the_output_inside_the_request()
    {
        var ran = await shared.Client().RunAsync("examples.echo", new { value = new[] { 1, 2 } });

        Assert.Equal("[1,2]", ran.Output!.ToJsonString());
    }

    [Fact]
    public async Task Listing_filters_by_function_and_status_page_by_page()
    {
        var client = shared.Client();
        var started = await client.StartAsync("examples.echo", new { value = "listed" });
        await client.GetAsync(started.Id, waitSeconds: 30);

        var page = await client.ListAsync(new ExecutionFilter { Function = "examples.echo", Status = ExecutionStatus.Succeeded, Limit = 1 });
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var next = await client.ListAsync(new ExecutionFilter { Function = "examples.echo", CreatedAfter = started.CreatedAt.AddMinutes(-1), Limit = 2, Cursor = cursor });
            ids.AddRange(next.Items.Select(i => i.Id));
            cursor = next.NextCursor;
        }
        while (cursor is not null);

        Assert.Single(page.Items);
        Assert.All(page.Items, i => Assert.Equal(ExecutionStatus.Succeeded, i.Status));
        Assert.Contains(started.Id, ids);
    }

    [Fact]
    public async Task Health_is_read_as_true()
    {
        var client = shared.Client(key: null);

        Assert.True(await client.IsLiveAsync());
        Assert.True(await client.IsReadyAsync());
    }
}
