using System.Threading.Channels;

namespace AsyncFunctions.Hangfire.Resuming;

/// <summary>
/// What the state filter hands to <see cref="SuspensionResumer"/>: executions that just finished,
/// whose waiters may be ready. Filters run inside Hangfire's state changes and must not change
/// another job's state there; the resumer does it on its own time. What is lost here (the
/// process stops) the resumer's sweep finds again.
/// </summary>
public sealed class ResumeRequests
{
    private readonly Channel<string> _finished = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>An execution finished on this node.</summary>
    public void Finished(string id) => _finished.Writer.TryWrite(id);

    internal ChannelReader<string> FinishedIds => _finished.Reader;
}
