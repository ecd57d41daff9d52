using AsyncFunctions.Client;
using AsyncFunctions.Executions;

namespace MyApp;

/// <summary>Starts a report once per day and month, whatever the retries, and follows it.</summary>
public sealed class Reports(AsyncFunctionsClient functions)
{
    public async Task<string> StartAsync(string month, CancellationToken cancellationToken)
    {
        var started = await functions.StartAsync(
            "examples.echo",
            new { value = new { report = month } },
            new StartOptions { IdempotencyKey = $"report-{month}" },
            cancellationToken);
        return started.Id;
    }

    /// <summary>Long polling: the record as soon as it is finished, or as it is after 30 s.</summary>
    public async Task<ExecutionRecord> ReadAsync(string id, CancellationToken cancellationToken) =>
        await functions.GetAsync(id, waitSeconds: 30, cancellationToken);

    /// <summary>Every status change as it happens, until the execution is finished.</summary>
    public async Task<ExecutionRecord?> FollowAsync(string id, CancellationToken cancellationToken)
    {
        ExecutionRecord? last = null;
        await foreach (var record in functions.WatchAsync(id, cancellationToken))
        {
            Console.WriteLine($"{record.Id}: {record.Status}");
            last = record;
        }

        return last;
    }

    /// <summary>Several at once: the results in request order; Completed is false when the timeout came first.</summary>
    public async Task<bool> AllFinishedAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        (await functions.AwaitAsync(ids, TimeSpan.FromSeconds(60), cancellationToken)).Completed;

    /// <summary>Tomorrow instead of now; cancelled, then queued again.</summary>
    public async Task<ExecutionRecord> ScheduleCancelAndRetryAsync(CancellationToken cancellationToken)
    {
        var later = await functions.StartAsync("examples.echo", new { value = "tomorrow" }, new StartOptions { Delay = TimeSpan.FromDays(1) }, cancellationToken);
        await functions.CancelAsync(later.Id, children: true, cancellationToken);
        return await functions.RetryAsync(later.Id, cancellationToken);
    }
}
