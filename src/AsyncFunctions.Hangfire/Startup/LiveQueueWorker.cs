using Hangfire.Server;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// A shared worker of a node without a <c>Queues</c> setting: Hangfire's own
/// <see cref="Worker"/>, each round on the queues <see cref="ServedQueues"/> lists now. A worker
/// waiting for a job on a list that a new queue replaced stops waiting (its fetch is cancelled
/// through the stopping token it is given, which also fires on the change) and waits again on the
/// new list. The job it runs never sees that token: a job's cancellation comes from the server's
/// stopped token, which this passes on unchanged, as the server id and the worker's id.
/// </summary>
public sealed class LiveQueueWorker(ServedQueues served, IBackgroundJobPerformer performer, IBackgroundJobStateChanger stateChanger) : IBackgroundProcess
{
    private Current? _current;

    public void Execute(BackgroundProcessContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = served.Current ?? throw new InvalidOperationException("The served queues are not live.");
        var current = Volatile.Read(ref _current);
        if (current?.Snapshot != snapshot)
        {
            current = new Current(snapshot, new Worker(snapshot.Queues, performer, stateChanger));
            Volatile.Write(ref _current, current);
        }

        using var stoppingOrReplaced = CancellationTokenSource.CreateLinkedTokenSource(context.StoppingToken, snapshot.Replaced);
        var round = new BackgroundProcessContext(
            context.ServerId,
            context.Storage,
            context.Properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase),
            context.ExecutionId,
            stoppingOrReplaced.Token,
            context.StoppedToken,
            context.ShutdownToken);
        try
        {
            current.Worker.Execute(round);
        }
        catch (OperationCanceledException) when (snapshot.Replaced.IsCancellationRequested && !context.StoppingToken.IsCancellationRequested)
        {
            // The list changed while this worker waited (a job it had just fetched is requeued by
            // the worker itself): the next round takes the new list.
        }
    }

    private sealed record Current(ServedQueues.Snapshot Snapshot, Worker Worker);
}
