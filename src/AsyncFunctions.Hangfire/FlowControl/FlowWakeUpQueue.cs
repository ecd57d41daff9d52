using System.Threading.Channels;
using AsyncFunctions.FlowControl;

namespace AsyncFunctions.Hangfire.FlowControl;

/// <summary>
/// The executions the slot release handed slots to, queued for <see cref="FlowWakeUps"/>. A type of
/// its own with no dependencies: the release is a status-change observer, which the job client's
/// filters depend on, so it cannot depend on the job client itself.
/// </summary>
public sealed class FlowWakeUpQueue : IFlowWakeUps
{
    private readonly Channel<string> _ids = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    internal ChannelReader<string> Reader => _ids.Reader;

    public void Wake(IReadOnlyList<string> executionIds)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        foreach (var id in executionIds)
        {
            _ids.Writer.TryWrite(id);
        }
    }
}
