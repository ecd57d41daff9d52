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
/// A batch commits whole or not at all. When the database rejects one statement of it, that write's
/// caller gets the error and the others are sent again without it; when the batch fails otherwise
/// (connection lost, server down), every caller in it gets the error and nothing of the batch
/// is committed (its writes are idempotent upserts, so the callers' retries write them again).
/// </para>
/// The loop has a thread of its own and uses Npgsql synchronously: Hangfire's filters wait for their
/// writes on their own threads, and a writer that needed the thread pool could starve behind a
/// pool full of waiting requests.
/// </summary>
internal sealed class PostgreSqlGroupCommitWriter : IDisposable
{
    /// <summary>Most writes in one batch: bounds a batch's size and the latency of its last write.</summary>
    public const int MaxBatch = 256;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<RowWrite> _queue = Channel.CreateUnbounded<RowWrite>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Thread _loop;
    private NpgsqlConnection? _connection;
    private long _commits;
    private long _writes;

    public PostgreSqlGroupCommitWriter(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _loop = new Thread(Run) { IsBackground = true, Name = "AsyncFunctions results writer" };
        _loop.Start();
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
            _loop.Join();
            _connection?.Dispose();
            _connection = null;
        }
    }

    private void Run()
    {
        var batch = new List<RowWrite>(MaxBatch);
        while (WaitForWrites())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
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

    /// <summary>
    /// Waits until writes are queued (false once the writer is disposed), blocking on the wait's
    /// handle: waiting on the task itself would spin first, on cores the callers need.
    /// </summary>
    private bool WaitForWrites()
    {
        var waiting = _queue.Reader.WaitToReadAsync();
        if (waiting.IsCompletedSuccessfully)
        {
            return waiting.Result;
        }

        var task = waiting.AsTask();
        if (!task.IsCompleted)
        {
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
            task.Dispose();
        }

        return task.GetAwaiter().GetResult();
    }

    private void Commit(List<RowWrite> batch)
    {
        // Each rejected statement leaves the batch, so this ends after at most batch.Count tries.
        while (batch.Count > 0)
        {
            try
            {
                var changed = Execute(batch);
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _writes, batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Complete(changed[i]);
                }

                return;
            }
            catch (PostgresException ex) when (batch.Count > 1 && ex.BatchCommand is { } rejected && IndexOf(batch, rejected) is var index and >= 0)
            {
                // The database rejected this one statement; the batch was rolled back, and the others
                // go again without it. The connection itself is fine.
                batch[index].Fail(ex);
                batch.RemoveAt(index);
            }
#pragma warning disable CA1031 // The callers get the failure; the loop must live on for the next batch.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var write in batch)
                {
                    write.Fail(ex);
                }

                // The connection may be broken; the next batch opens a fresh one.
                _connection?.Dispose();
                _connection = null;
                return;
            }
        }
    }

    private int[] Execute(List<RowWrite> batch)
    {
        var connection = _connection ??= _dataSource.OpenConnection();
        using var command = new NpgsqlBatch(connection);
        foreach (var write in batch)
        {
            var statement = new NpgsqlBatchCommand(write.Sql);
            write.Parameters.AddTo(statement.Parameters);
            write.Statement = statement;
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

    private static int IndexOf(List<RowWrite> batch, NpgsqlBatchCommand rejected) =>
        batch.FindIndex(write => ReferenceEquals(write.Statement, rejected));

    private sealed class RowWrite(string sql, StatementParameters parameters, CancellationToken cancellationToken)
    {
        private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Sql { get; } = sql;

        public StatementParameters Parameters { get; } = parameters;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>The batch command of this write in the batch being sent.</summary>
        public NpgsqlBatchCommand? Statement { get; set; }

        public Task<bool> Task => _completion.Task;

        public void Complete(int changed) => _completion.TrySetResult(changed > 0);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
