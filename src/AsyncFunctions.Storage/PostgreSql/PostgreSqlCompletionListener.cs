using AsyncFunctions.Awaiting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AsyncFunctions.Storage.PostgreSql;

/// <summary>
/// Listens for the NOTIFY that <see cref="PostgreSqlDialect"/> sends when an execution finishes,
/// and asks the local awaiter to re-read those ids at once (<see cref="ICompletionPublisher.Signal"/>).
/// After a reconnect it signals every execution that finished while it was away, since those
/// notifications are lost. The awaiter's own poll stays as the fallback throughout.
/// </summary>
public sealed class PostgreSqlCompletionListener(
    string connectionString,
    ICompletionPublisher completions,
    TimeProvider time,
    ILogger<PostgreSqlCompletionListener> logger,
    TimeSpan? maxReconnectDelay = null)
    : PostgreSqlNotificationListener(connectionString, ApplicationName, PostgreSqlDialect.ListenSql, time, logger, maxReconnectDelay)
{
    /// <summary>Margin for clock skew between this node and the database when catching up after a reconnect.</summary>
    private static readonly TimeSpan CatchUpMargin = TimeSpan.FromSeconds(5);

    /// <summary>The application_name of the listening connection, to find it in pg_stat_activity.</summary>
    public const string ApplicationName = "asyncfunctions-listener";

    protected override string Subject => "finished executions";

    protected override void OnNotification(NpgsqlNotificationEventArgs notification)
    {
        if (notification.Channel == PostgreSqlDialect.NotificationChannel)
        {
            completions.Signal([notification.Payload]);
        }
    }

    /// <summary>Notifications sent while no connection listened are lost; these ids stand in for them.</summary>
    protected override async Task OnReconnectedAsync(NpgsqlConnection connection, DateTimeOffset lostSince, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(PostgreSqlDialect.FinishedSinceSql, connection);
        command.Parameters.AddWithValue("Since", (lostSince - CatchUpMargin).UtcDateTime);
        var ids = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
            }
        }

        if (ids.Count > 0)
        {
            completions.Signal(ids);
        }
    }
}
