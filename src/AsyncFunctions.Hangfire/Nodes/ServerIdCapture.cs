using Hangfire.Server;

namespace AsyncFunctions.Hangfire.Nodes;

/// <summary>
/// A process of this node's Hangfire server that only tells <see cref="NodeIdentity"/> the
/// server's id (Hangfire makes a new one when it restarts its server) and then waits for the stop.
/// </summary>
public sealed class ServerIdCapture(NodeIdentity identity) : IBackgroundProcess
{
    public void Execute(BackgroundProcessContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        identity.ServerId = context.ServerId;
        context.StoppingToken.WaitHandle.WaitOne();
    }
}
