using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Storage.Sqlite;

/// <summary>
/// The single writer of a SQLite file. SQLite admits one writer at a time, so instead of letting
/// callers take turns (each paying its own transaction), one loop takes every write that is
/// waiting, runs them in one transaction on one long-lived connection, commits once and then
/// completes their callers: a group commit. Each write runs under its own savepoint, so one that
/// fails is undone alone and reported to its caller while the others commit. The hot statements
/// (an execution's insert and status writes) keep their compiled form on that connection, see
/// <see cref="SqlitePreparedStatements"/>. The loop has a
/// thread of its own: Hangfire's filters wait for their writes synchronously, and a writer that
/// needed a thread-pool thread could starve behind them under load.
/// A single statement that finds the writer idle (nothing queued, no batch committing) is not
/// handed to the loop: its caller commits it on its own thread, as a batch of one, and gets a
/// completed task. The hand-off (waking the loop's thread, then the caller's) cost about as much
/// CPU as the commit itself; once writes overlap, they queue and are group-committed as before.
/// </summary>
internal sealed class SqliteGroupCommitWriter : IDisposable
{
    private const int MaxBatch = 256;

    private static readonly string[] Savepoints = Enumerable.Range(0, MaxBatch).Select(i => "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private readonly string _connectionString;
    private readonly Channel<IWrite> _queue = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Task _loop;
    private readonly Lock _connectionLock = new();
    private SqliteConnection? _connection;
    private SqlitePreparedStatements? _statements;
    private long _commits;
    private long _builtBefore;
    private long _committedByCallers;
    private bool _closed;
    private int _queued;

    public SqliteGroupCommitWriter(string connectionString)
    {
        _connectionString = connectionString;
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private interface IWrite
    {
        CancellationToken CancellationToken { get; }

        Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, SqlitePreparedStatements statements);

        void Complete();

        void Fail(Exception exception);
    }

    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> write, CancellationToken cancellationToken)
    {
        var request = new Write<T>(write, cancellationToken);
        return Enqueue(request)
            ? request.Task
            : Task.FromException<T>(new ObjectDisposedException(nameof(SqliteGroupCommitWriter)));
    }

    /// <summary>Transactions committed so far: with writes waiting together, fewer than the writes.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Writes their callers committed on their own threads, the writer being idle (read by tests).</summary>
    internal long CommittedByCallers => Interlocked.Read(ref _committedByCallers);

    /// <summary>Statement commands built on the writer's connections so far (read by tests).</summary>
    internal long StatementsBuilt => Interlocked.Read(ref _builtBefore) + (_statements?.Built ?? 0);

    /// <summary>Statements kept on the writer's connection now (read by tests).</summary>
    internal int KeptStatements => _statements?.Kept ?? 0;

    /// <summary>One statement, run with the connection's kept compiled form of it; true when it changed a row.</summary>
    public Task<bool> WriteRowAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        var request = new StatementWrite(sql, parameters, cancellationToken);
        if (TryCommitHere(request))
        {
            return request.Task;
        }

        return Enqueue(request)
            ? request.Task
            : Task.FromException<bool>(new ObjectDisposedException(nameof(SqliteGroupCommitWriter)));
    }

    /// <summary>Hands a write to the loop, counted until the loop takes it (a single reader's queue has no count of its own).</summary>
    private bool Enqueue(IWrite request)
    {
        Interlocked.Increment(ref _queued);
        if (_queue.Writer.TryWrite(request))
        {
            return true;
        }

        Interlocked.Decrement(ref _queued);
        return false;
    }

    /// <summary>
    /// Commits <paramref name="request"/> on the calling thread when the writer is idle: nothing
    /// queued (so no earlier write is overtaken) and no batch committing. A statement runs
    /// synchronously on the connection, so the caller blocks on no asynchronous work.
    /// </summary>
    private bool TryCommitHere(StatementWrite request)
    {
        if (Volatile.Read(ref _queued) > 0 || Volatile.Read(ref _closed) || !_connectionLock.TryEnter())
        {
            return false;
        }

        try
        {
            if (_closed || Volatile.Read(ref _queued) > 0)
            {
                return false;
            }

            if (request.CancellationToken.IsCancellationRequested)
            {
                request.Fail(new OperationCanceledException(request.CancellationToken));
                return true;
            }

            Commit([request]);
            Interlocked.Increment(ref _committedByCallers);
            return true;
        }
        finally
        {
            _connectionLock.Exit();
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _closed, true);
        _queue.Writer.TryComplete();
        _loop.GetAwaiter().GetResult();
        lock (_connectionLock)
        {
            CloseConnection();
        }
    }

    private void CloseConnection()
    {
        Interlocked.Add(ref _builtBefore, _statements?.Built ?? 0);
        _statements?.Dispose();
        _statements = null;
        _connection?.Dispose();
        _connection = null;
    }

    private void Run()
    {
        // Synchronous continuations let a writer wake this loop directly: with them queued to the
        // thread pool, a pool full of callers waiting for their writes could not wake it.
        var batch = new List<IWrite>(MaxBatch);
        while (WaitForWrites())
        {
            // Taken before the queue is read, so that a caller committing on its own thread either
            // finishes first or sees the queue's writes and queues behind them.
            lock (_connectionLock)
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
                {
                    Interlocked.Decrement(ref _queued);
                    if (write.CancellationToken.IsCancellationRequested)
                    {
                        write.Fail(new OperationCanceledException(write.CancellationToken));
                    }
                    else
                    {
                        batch.Add(write);
                    }
                }

                if (batch.Count > 0)
                {
                    Commit(batch);
                }
            }
        }
    }

    private bool WaitForWrites() => BlockingChannelWait.WaitToRead(_queue.Reader);

    private void Commit(IReadOnlyList<IWrite> batch)
    {
        var done = new List<IWrite>(batch.Count);
        // A write alone in its batch needs no savepoint: if it fails, the whole transaction is undone.
        var alone = batch.Count == 1;
        try
        {
            var connection = _connection ??= Open();
            var statements = _statements ??= new SqlitePreparedStatements(connection);
            using var transaction = connection.BeginTransaction(deferred: false);
            for (var i = 0; i < batch.Count; i++)
            {
                var savepoint = Savepoints[i];
                if (!alone)
                {
                    transaction.Save(savepoint);
                }

                try
                {
                    // SQLite commands complete synchronously; waiting here keeps the loop on its thread.
                    batch[i].ExecuteAsync(connection, transaction, statements).GetAwaiter().GetResult();
                    if (!alone)
                    {
                        transaction.Release(savepoint);
                    }

                    done.Add(batch[i]);
                }
#pragma warning disable CA1031 // A failed write is undone alone and reported to its own caller.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    if (alone)
                    {
                        batch[i].Fail(ex);
                        transaction.Rollback();
                        return;
                    }

                    transaction.Rollback(savepoint);
                    transaction.Release(savepoint);
                    batch[i].Fail(ex);
                }
            }

            transaction.Commit();
            Interlocked.Increment(ref _commits);
        }
#pragma warning disable CA1031 // The callers get the failure; the loop must live on for the next batch.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var write in batch)
            {
                write.Fail(ex);
            }

            CloseConnection();
            return;
        }

        foreach (var write in done)
        {
            write.Complete();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();

        using var command = connection.CreateCommand();
        command.CommandText = SqliteDialect.SynchronousSql;
        command.ExecuteNonQuery();
        return connection;
    }

    private sealed class Write<T>(Func<DbConnection, DbTransaction?, Task<T>> write, CancellationToken cancellationToken) : IWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, SqlitePreparedStatements statements) =>
            _result = await write(connection, transaction).ConfigureAwait(false);

        public void Complete() => _completion.TrySetResult(_result!);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }

    private sealed class StatementWrite(string sql, object parameters, CancellationToken cancellationToken) : IWrite
    {
        private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _changed;

        public Task<bool> Task => _completion.Task;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, SqlitePreparedStatements statements)
        {
            _changed = statements.Execute(sql, parameters, transaction) > 0;
            return System.Threading.Tasks.Task.CompletedTask;
        }

        public void Complete() => _completion.TrySetResult(_changed);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
