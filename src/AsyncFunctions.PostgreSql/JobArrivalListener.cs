using AsyncFunctions.Storage.PostgreSql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// The node's one listener for Hangfire.PostgreSql's enqueue notifications: each rings
/// <see cref="JobArrivals"/>, where this node's idle workers wait (<see cref="ListeningJobFetch"/>).
/// Hangfire.PostgreSql instead opens a listening connection for every fetch, and every idle worker
/// of every node queries on every enqueue. Only on a node whose workers fetch from PostgreSQL.
/// </summary>
internal sealed class JobArrivalListener(
    string connectionString,
    JobArrivals arrivals,
    Func<bool> workersFetchHere,
    TimeProvider time,
    ILogger<JobArrivalListener> logger,
    TimeSpan maxReconnectDelay)
    : PostgreSqlNotificationListener(connectionString, ApplicationName, PostgreSqlDialect.ListenForJobsSql, time, logger, maxReconnectDelay)
{
    /// <summary>The application_name of the listening connection, to find it in pg_stat_activity.</summary>
    public const string ApplicationName = "asyncfunctions-job-listener";

    protected override string Subject => "new jobs";

    protected override bool ShouldListen() => workersFetchHere();

    protected override void OnNotification(NpgsqlNotificationEventArgs notification) => arrivals.Ring();

    /// <summary>A job enqueued while the connection was down rang nobody: one worker looks now.</summary>
    protected override Task OnReconnectedAsync(NpgsqlConnection connection, DateTimeOffset lostSince, CancellationToken cancellationToken)
    {
        arrivals.Ring();
        return Task.CompletedTask;
    }
}
