using AsyncFunctions.Awaiting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AsyncFunctions.Storage.PostgreSql;

/// <summary>
/// Listens on one dedicated connection for the NOTIFY that <see cref="PostgreSqlDialect"/> sends
/// when an execution finishes, and asks the local awaiter to re-read those ids at once
/// (<see cref="ICompletionPublisher.Signal"/>). When the connection drops it reconnects with
/// back-off and then signals every execution that finished while it was away, since those
/// notifications are lost. The awaiter's own poll stays as the fallback throughout.
/// </summary>
public sealed partial class PostgreSqlCompletionListener : BackgroundService
{
    /// <summary>How long the connection may stay silent before a query checks it is still alive.</summary>
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Margin for clock skew between this node and the database when catching up after a reconnect.</summary>
    private static readonly TimeSpan CatchUpMargin = TimeSpan.FromSeconds(5);

    private readonly string _connectionString;
    private readonly ICompletionPublisher _completions;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgreSqlCompletionListener> _logger;
    private readonly TimeSpan _maxReconnectDelay;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgreSqlCompletionListener(
        string connectionString,
        ICompletionPublisher completions,
        TimeProvider time,
        ILogger<PostgreSqlCompletionListener> logger,
        TimeSpan? maxReconnectDelay = null)
    {
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            Multiplexing = false,
            ApplicationName = ApplicationName,
        }.ToString();
        _completions = completions;
        _time = time;
        _logger = logger;
        _maxReconnectDelay = maxReconnectDelay ?? TimeSpan.FromSeconds(10);
    }

    /// <summary>The application_name of the listening connection, to find it in pg_stat_activity.</summary>
    public const string ApplicationName = "asyncfunctions-listener";

    /// <summary>Completes once the first LISTEN is in place (tests wait for it).</summary>
    internal Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstReconnectDelay;
        DateTimeOffset? lostAt = null;

        // The last moment the connection was known to deliver: a dead socket is noticed only at the
        // next idle check (or later), and the catch-up after a reconnect must start before that.
        DateTimeOffset? lastHealthy = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                connection.Notification += OnNotification;
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                await ExecuteAsync(connection, PostgreSqlDialect.ListenSql, stoppingToken).ConfigureAwait(false);
                if (lostAt is { } since)
                {
                    await SignalFinishedSinceAsync(connection, since - CatchUpMargin, stoppingToken).ConfigureAwait(false);
                    LogReconnected();
                }

                lostAt = null;
                delay = FirstReconnectDelay;
                _listening.TrySetResult();
                while (true)
                {
                    lastHealthy = _time.GetUtcNow();
                    if (!await connection.WaitAsync(IdleCheck, stoppingToken).ConfigureAwait(false))
                    {
                        await ExecuteAsync(connection, PostgreSqlDialect.KeepAliveSql, stoppingToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any failure of the connection means: reconnect; the poll covers the gap.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                lostAt ??= lastHealthy ?? _time.GetUtcNow();
                LogConnectionLost(ex, delay);
                try
                {
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _maxReconnectDelay.Ticks));
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel == PostgreSqlDialect.NotificationChannel)
        {
            _completions.Signal([e.Payload]);
        }
    }

    /// <summary>Notifications sent while no connection listened are lost; these ids stand in for them.</summary>
    private async Task SignalFinishedSinceAsync(NpgsqlConnection connection, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(PostgreSqlDialect.FinishedSinceSql, connection);
        command.Parameters.AddWithValue("Since", since.UtcDateTime);
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
            _completions.Signal(ids);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(LogLevel.Warning, "The connection listening for finished executions failed; reconnecting in {Delay}. Awaits fall back to polling meanwhile.")]
    private partial void LogConnectionLost(Exception exception, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "Listening for finished executions again.")]
    private partial void LogReconnected();
}
