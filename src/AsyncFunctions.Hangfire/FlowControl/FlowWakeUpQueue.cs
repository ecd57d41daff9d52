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
    private readonly Channel<GrantedWaiter> _waiters = Channel.CreateUnbounded<GrantedWaiter>(new UnboundedChannelOptions { SingleReader = true });

    internal ChannelReader<GrantedWaiter> Reader => _waiters.Reader;

    public void Wake(IReadOnlyList<GrantedWaiter> waiters)
    {
        ArgumentNullException.ThrowIfNull(waiters);
        foreach (var waiter in waiters)
        {
            _waiters.Writer.TryWrite(waiter);
        }
    }
}
