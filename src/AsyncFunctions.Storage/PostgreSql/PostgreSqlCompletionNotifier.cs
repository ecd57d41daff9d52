using System.Collections.Concurrent;
using Npgsql;

namespace AsyncFunctions.Storage.PostgreSql;

/// <summary>
/// Sends the notifications of finished executions after their writes committed, many in one
/// transaction, instead of one <c>pg_notify</c> inside each write.
/// <para>
/// Why: PostgreSQL serializes the commits of all transactions that sent a NOTIFY on one global
/// lock, taken just before the commit record is written and held until it is flushed to disk. A
/// results write that notified therefore committed in single file behind every other notifying
/// transaction of the database (Hangfire.PostgreSql's enqueues among them), each waiting for its
/// own flush; on a loaded machine the holder is also often descheduled while it holds the lock.
/// Without the NOTIFY the write commits like any other and shares its flush with its neighbours;
/// this one loop per node sends whatever finished meanwhile in one transaction, so the node
/// queues at most one transaction at a time on that lock.
/// </para>
/// A notification is only a hint: each node's awaiter also polls the results table, so one lost in
/// a crash between a write's commit and its notification delays a wake-up on another node to that
/// poll; it never loses a result. The loop has a thread of its own and uses Npgsql synchronously,
/// like <see cref="PostgreSqlGroupCommitWriter"/>, so a thread pool full of waiting requests cannot
/// starve it.
/// </summary>
internal sealed class PostgreSqlCompletionNotifier : IDisposable
{
    /// <summary>Most notifications in one transaction (each is a few dozen bytes in PostgreSQL's queue).</summary>
    public const int MaxBatch = 512;

    private readonly NpgsqlDataSource _dataSource;
    private readonly BlockingCollection<string> _ids = [];
    private readonly Thread _thread;
    private long _batches;
    private long _sent;
    private int _disposed;

    public PostgreSqlCompletionNotifier(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _thread = new Thread(Run) { IsBackground = true, Name = "AsyncFunctions completion notifier" };
        _thread.Start();
    }

    /// <summary>Transactions that sent notifications so far: with executions finishing together, fewer than the notifications.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Notifications sent so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Queues the notification of <paramref name="id"/>, whose finished status committed.</summary>
    public void Add(string id)
    {
        try
        {
            _ids.Add(id);
        }
        catch (InvalidOperationException)
        {
            // Disposed: the node is stopping; the other nodes' poll finds the result.
        }
    }

    private void Run()
    {
        var batch = new List<string>(MaxBatch);
        foreach (var first in _ids.GetConsumingEnumerable())
        {
            batch.Add(first);
            while (batch.Count < MaxBatch && _ids.TryTake(out var next))
            {
                batch.Add(next);
            }

            Send(batch);
            batch.Clear();
        }
    }

    private void Send(List<string> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = _dataSource.OpenConnection();
                using var command = new NpgsqlCommand(PostgreSqlDialect.NotifyFinishedSql, connection);
                command.Parameters.Add(new NpgsqlParameter<string[]>("Ids", batch.ToArray()));
                command.ExecuteNonQuery();
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _sent, batch.Count);
                return;
            }
#pragma warning disable CA1031 // A notification is a hint: after a few tries it is dropped and the awaiters' poll finds the result.
            catch (Exception) when (attempt < 3 && !_ids.IsAddingCompleted)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(100 * attempt));
            }
            catch (Exception)
            {
                return;
            }
#pragma warning restore CA1031
        }
    }

    /// <summary>Stops the loop; idempotent (the container may dispose the dialect that owns it more than once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _ids.CompleteAdding();
        if (_thread.Join(TimeSpan.FromSeconds(2)))
        {
            _ids.Dispose();
        }
    }
}
