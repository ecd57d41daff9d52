using System.Data;
using System.Threading.Channels;
using Npgsql;

namespace AsyncFunctions.Storage.PostgreSql;

/// <summary>
/// Group commit of the hot row writes (an execution's creation and its status changes) on
/// PostgreSQL. Each autocommitted statement costs a round trip and a WAL flush; under load most of
/// an execution's time on the results side was those three commits. One loop instead takes every
/// write that is waiting, sends them as one <see cref="NpgsqlBatch"/> (one round trip; without an
/// explicit transaction PostgreSQL runs a batch as one implicit transaction, so they commit
/// together with one flush) and only then completes their callers: a caller is told its write
/// landed once it is durable, as before, so the status-change observers still run after the commit.
/// <para>
/// A batch commits whole or not at all. When the database rejects one statement of it, each write of
/// the batch is sent again alone, so the rejected one fails its own caller and no other (a rare,
/// slower path); when the batch fails otherwise
/// (connection lost, server down), every caller in it gets the error. None is told of a write that
/// did not commit; a connection lost while the commit was under way may have committed the batch
/// all the same, as for any single statement, which is safe: the writes are idempotent monotonic
/// upserts, and the callers' retries (Hangfire makes a failed state change again) write them again.
/// </para>
/// Each of a few loops (<see cref="Writers"/>) takes the writes waiting when it is free. The loops
/// have threads of their own and use Npgsql synchronously: Hangfire's filters wait for their
/// writes on their own threads, and a writer that needed the thread pool could starve behind a
/// pool full of waiting requests.
/// </summary>
internal sealed class PostgreSqlGroupCommitWriter : IDisposable
{
    /// <summary>Most writes in one batch: bounds a batch's size and the latency of its last write.</summary>
    public const int MaxBatch = 256;

    /// <summary>
    /// Writer threads, each with its connection and one batch in flight. More than one: on a machine
    /// whose CPU other processes crowd, a single writer thread (and its single server process) is
    /// scheduled as rarely as any other thread, and every write of the node would wait for it.
    /// </summary>
    public const int Writers = 4;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<RowWrite> _queue = Channel.CreateUnbounded<RowWrite>(new UnboundedChannelOptions { SingleReader = false, AllowSynchronousContinuations = true });
    private readonly Thread[] _threads;
    private readonly Loop[] _loops;
    private long _commits;
    private long _writes;

    public PostgreSqlGroupCommitWriter(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _loops = Enumerable.Range(0, Writers).Select(_ => new Loop(this)).ToArray();
        _threads = _loops.Select((loop, i) => new Thread(loop.Run) { IsBackground = true, Name = $"AsyncFunctions results writer {i + 1}" }).ToArray();
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Batches committed so far: with writes waiting together, fewer than the writes.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Writes committed so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>One statement, committed with whatever else is waiting; true when it changed a row.</summary>
    public Task<bool> WriteRowAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        var request = new RowWrite(sql, StatementParameters.From(sql, parameters), cancellationToken);
        return _queue.Writer.TryWrite(request)
            ? request.Task
            : Task.FromException<bool>(new ObjectDisposedException(nameof(PostgreSqlGroupCommitWriter)));
    }

    public void Dispose()
    {
        if (_queue.Writer.TryComplete())
        {
            foreach (var thread in _threads)
            {
                thread.Join();
            }

            foreach (var loop in _loops)
            {
                loop.Dispose();
            }
        }
    }

    /// <summary>One writer thread and its connection.</summary>
    private sealed class Loop(PostgreSqlGroupCommitWriter writer) : IDisposable
    {
        private NpgsqlConnection? _connection;

        public void Dispose()
        {
            _connection?.Dispose();
            _connection = null;
        }

        public void Run()
        {
            var batch = new List<RowWrite>(MaxBatch);
            while (WaitForWrites())
            {
                batch.Clear();
                while (batch.Count < MaxBatch && writer._queue.Reader.TryRead(out var write))
                {
                    if (write.CancellationToken.IsCancellationRequested)
                    {
                        write.Fail(new OperationCanceledException(write.CancellationToken));
                    }
                    else
                    {
                        batch.Add(write);
                    }
                }

                Commit(batch);
            }
        }

        private bool WaitForWrites() => BlockingChannelWait.WaitToRead(writer._queue.Reader);

        private void Commit(List<RowWrite> batch)
        {
            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                Complete(batch, Execute(batch));
            }
            catch (PostgresException) when (batch.Count > 1 && _connection is { State: ConnectionState.Open })
            {
                // The database rejected a statement and rolled the batch back; the connection is fine.
                // Each write goes again alone, so the rejected one fails its own caller and no other.
                CommitOneByOne(batch);
            }
#pragma warning disable CA1031 // The callers get the failure; the loop must live on for the next batch.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Fail(batch, 0, ex);
            }
        }

        private void CommitOneByOne(List<RowWrite> batch)
        {
            var alone = new List<RowWrite>(1);
            for (var i = 0; i < batch.Count; i++)
            {
                alone.Clear();
                alone.Add(batch[i]);
                try
                {
                    Complete(alone, Execute(alone));
                }
                catch (PostgresException ex) when (_connection is { State: ConnectionState.Open })
                {
                    batch[i].Fail(ex);
                }
#pragma warning disable CA1031 // The callers get the failure; the loop must live on for the next batch.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Fail(batch, i, ex);
                    return;
                }
            }
        }

        private void Complete(List<RowWrite> committed, int[] changed)
        {
            Interlocked.Increment(ref writer._commits);
            Interlocked.Add(ref writer._writes, committed.Count);
            for (var i = 0; i < committed.Count; i++)
            {
                committed[i].Complete(changed[i]);
            }
        }

        /// <summary>Fails the writes from <paramref name="from"/> on, none known to have committed, and drops the connection, which may be broken.</summary>
        private void Fail(List<RowWrite> batch, int from, Exception exception)
        {
            for (var i = from; i < batch.Count; i++)
            {
                batch[i].Fail(exception);
            }

            _connection?.Dispose();
            _connection = null;
        }

        private int[] Execute(List<RowWrite> batch)
        {
            var connection = _connection ??= writer._dataSource.OpenConnection();
            using var command = new NpgsqlBatch(connection);
            foreach (var write in batch)
            {
                var statement = new NpgsqlBatchCommand(write.Sql);
                write.Parameters.AddTo(statement.Parameters);
                command.BatchCommands.Add(statement);
            }

            command.ExecuteNonQuery();
            var changed = new int[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                changed[i] = command.BatchCommands[i].RecordsAffected;
            }

            return changed;
        }
    }

    private sealed class RowWrite(string sql, StatementParameters parameters, CancellationToken cancellationToken)
    {
        private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Sql { get; } = sql;

        public StatementParameters Parameters { get; } = parameters;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public Task<bool> Task => _completion.Task;

        public void Complete(int changed) => _completion.TrySetResult(changed > 0);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
