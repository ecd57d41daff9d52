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

    /// <summary>
    /// Between two checks of the stop token, the listening thread waits this long for a notification.
    /// Short, so a stopping host does not wait for it; a timed-out wait costs one wake-up.
    /// </summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The loop runs on a thread of its own and uses Npgsql synchronously: every finished execution
    /// of every node arrives here, and an asynchronous wait would hand each arrival to the thread
    /// pool as a work item (a socket completion, then this loop's continuation), on every node.
    /// A blocked thread costs nothing until its socket has data.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Listen(stoppingToken);
                stopped.TrySetResult();
            }
#pragma warning disable CA1031 // Handed to the host through the task, as an async loop's failure would be.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                stopped.TrySetException(ex);
            }
        })
        { IsBackground = true, Name = "AsyncFunctions completion listener" };
        thread.Start();
        return stopped.Task;
    }

    private void Listen(CancellationToken stoppingToken)
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
                using var connection = new NpgsqlConnection(_connectionString);
                connection.Notification += OnNotification;
                connection.Open();
                Execute(connection, PostgreSqlDialect.ListenSql);
                if (lostAt is { } since)
                {
                    SignalFinishedSince(connection, since - CatchUpMargin);
                    LogReconnected();
                }

                lostAt = null;
                delay = FirstReconnectDelay;
                _listening.TrySetResult();
                var idle = TimeSpan.Zero;
                while (!stoppingToken.IsCancellationRequested)
                {
                    lastHealthy = _time.GetUtcNow();
                    if (connection.Wait(WaitSlice))
                    {
                        idle = TimeSpan.Zero;
                        continue;
                    }

                    idle += WaitSlice;
                    if (idle >= IdleCheck)
                    {
                        Execute(connection, PostgreSqlDialect.KeepAliveSql);
                        idle = TimeSpan.Zero;
                    }
                }
            }
#pragma warning disable CA1031 // Any failure of the connection means: reconnect; the poll covers the gap.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                lostAt ??= lastHealthy ?? _time.GetUtcNow();
                LogConnectionLost(ex, delay);
                if (stoppingToken.WaitHandle.WaitOne(delay))
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _maxReconnectDelay.Ticks));
            }
#pragma warning disable CA1031 // The host is stopping: whatever the connection threw then ends the loop.
            catch (Exception)
#pragma warning restore CA1031
            {
                return;
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
    private void SignalFinishedSince(NpgsqlConnection connection, DateTimeOffset since)
    {
        using var command = new NpgsqlCommand(PostgreSqlDialect.FinishedSinceSql, connection);
        command.Parameters.AddWithValue("Since", since.UtcDateTime);
        var ids = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }
        }

        if (ids.Count > 0)
        {
            _completions.Signal(ids);
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    [LoggerMessage(LogLevel.Warning, "The connection listening for finished executions failed; reconnecting in {Delay}. Awaits fall back to polling meanwhile.")]
    private partial void LogConnectionLost(Exception exception, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "Listening for finished executions again.")]
    private partial void LogReconnected();
}
