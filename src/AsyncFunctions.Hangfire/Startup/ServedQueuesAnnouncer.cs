using Hangfire.Server;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// A process of the job server of a node without a <c>Queues</c> setting: when the served queues
/// change, it announces the server again with them, so the dashboard's Servers page lists them
/// (on PostgreSQL, SQL Server and Redis; the in-memory job storage keeps a server's first
/// announcement), and keeps them in the server's properties for Hangfire's own announcement
/// after a restart.
/// </summary>
public sealed class ServedQueuesAnnouncer(ServedQueues served, IDictionary<string, object> properties, int workerCount) : IBackgroundProcess
{
    private ServedQueues.Snapshot? _announced;

    public void Execute(BackgroundProcessContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = served.Current;
        if (snapshot is null)
        {
            context.StoppingToken.WaitHandle.WaitOne();
            return;
        }

        if (_announced is not null && _announced != snapshot)
        {
            var queues = snapshot.Queues.ToArray();
            properties["Queues"] = queues;
            using var connection = context.Storage.GetConnection();
            connection.AnnounceServer(context.ServerId, new ServerContext { Queues = queues, WorkerCount = workerCount });
        }

        _announced = snapshot;
        WaitHandle.WaitAny([context.StoppingToken.WaitHandle, snapshot.Replaced.WaitHandle]);
    }
}
