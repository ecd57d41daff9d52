using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AsyncFunctions.Storage.PostgreSql;

/// <summary>
/// Listens on one dedicated connection (unpooled, named by <c>application_name</c>) for a node's
/// PostgreSQL notifications. When the connection drops it reconnects with back-off and tells the
/// subclass how long it was away, since the notifications of that time are lost; a query checks the
/// connection whenever it stayed silent for <see cref="IdleCheck"/>. The wait is only ever cancelled
/// when the node stops, so a cancellation Npgsql misses (npgsql/npgsql#5975) delays only the stop,
/// by at most one idle check.
/// </summary>
public abstract partial class PostgreSqlNotificationListener : BackgroundService
{
    /// <summary>How long the connection may stay silent before a query checks it is still alive.</summary>
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(100);

    private readonly string _connectionString;
    private readonly string _listenSql;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _maxReconnectDelay;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected PostgreSqlNotificationListener(
        string connectionString,
        string applicationName,
        string listenSql,
        TimeProvider time,
        ILogger logger,
        TimeSpan? maxReconnectDelay)
    {
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            Multiplexing = false,
            ApplicationName = applicationName,
        }.ToString();
        _listenSql = listenSql;
        _time = time;
        _logger = logger;
        _maxReconnectDelay = maxReconnectDelay ?? TimeSpan.FromSeconds(10);
    }

    /// <summary>What is listened for, in the log's words ("finished executions").</summary>
    protected abstract string Subject { get; }

    /// <summary>Completes once the first LISTEN is in place (tests wait for it).</summary>
    internal Task Listening => _listening.Task;

    /// <summary>A notification arrived (on the connection's reading thread: hand work on, do not block).</summary>
    protected abstract void OnNotification(NpgsqlNotificationEventArgs notification);

    /// <summary>
    /// Listening again after the connection was lost; <paramref name="lostSince"/> is the last moment
    /// it was known to deliver. Stand in for the notifications of the time in between.
    /// </summary>
    protected abstract Task OnReconnectedAsync(NpgsqlConnection connection, DateTimeOffset lostSince, CancellationToken cancellationToken);

    /// <summary>Whether to listen at all; checked once, as the node starts.</summary>
    protected virtual bool ShouldListen() => true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!ShouldListen())
        {
            return;
        }

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
                connection.Notification += (_, e) => OnNotification(e);
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                await ExecuteAsync(connection, _listenSql, stoppingToken).ConfigureAwait(false);
                if (lostAt is { } since)
                {
                    await OnReconnectedAsync(connection, since, stoppingToken).ConfigureAwait(false);
                    LogReconnected(Subject);
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
                LogConnectionLost(ex, Subject, delay);
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

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(LogLevel.Warning, "The connection listening for {Subject} failed; reconnecting in {Delay}. Polling covers the gap meanwhile.")]
    private partial void LogConnectionLost(Exception exception, string subject, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "Listening for {Subject} again.")]
    private partial void LogReconnected(string subject);
}
