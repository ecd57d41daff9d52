using System.Threading.Channels;
using AsyncFunctions.Recording;

namespace AsyncFunctions.Hangfire.Resuming;

/// <summary>
/// The status-change observer that hands executions that just finished, whose waiters may be
/// ready, to <see cref="SuspensionResumer"/>. It runs inside Hangfire's state changes, where
/// another job's state must not be changed; the resumer does it on its own time. What is lost
/// here (the process stops) the resumer's sweep finds again.
/// </summary>
public sealed class ResumeRequests : IStatusChangeObserver
{
    private readonly Channel<string> _finished = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public int Order => StatusChangeOrder.Resumes;

    /// <summary>An execution finished on this node.</summary>
    public void Finished(string id) => _finished.Writer.TryWrite(id);

    public ValueTask OnRecordedAsync(RecordedStatusChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Finished)
        {
            Finished(change.Id);
        }

        return ValueTask.CompletedTask;
    }

    internal ChannelReader<string> FinishedIds => _finished.Reader;
}
