using AsyncFunctions.Storage.PostgreSql;
using System.Collections.Concurrent;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.PostgreSql;
using Npgsql;

namespace AsyncFunctions.Benchmarks.Storages;

/// <summary>
/// Listens on the provider's completion channel on a connection of its own and timestamps each
/// notification as it arrives: the commit of a final result, seen from outside any host.
/// </summary>
public sealed class PostgresCommitWatcher : ICommitWatcher
{
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly NpgsqlConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private PostgresCommitWatcher(string connectionString)
    {
        _connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        _connection.Notification += (_, e) => _seen.TryAdd(e.Payload, Clock.Now);
    }

    public static async Task<PostgresCommitWatcher> StartAsync(string connectionString)
    {
        var watcher = new PostgresCommitWatcher(connectionString);
        await watcher._connection.OpenAsync().ConfigureAwait(false);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgreSqlDialect.NotificationChannel}", watcher._connection))
        {
            await listen.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        watcher._loop = watcher.WaitLoopAsync();
        return watcher;
    }

    public bool TrySeen(string id, out long at) => _seen.TryGetValue(id, out at);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task WaitLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await _connection.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
    }
}
