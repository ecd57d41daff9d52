using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Storage.Sqlite;

/// <summary>
/// Reading connections kept open with their compiled queries, for the hot row reads (the row read
/// before every run). A pooled connection opened per read compiles the query again each time, which
/// cost more CPU than running it. A read rents one connection (opening a new one when none is
/// idle), runs its kept query and returns it; with WAL each read sees the last commit, as a freshly
/// opened connection does. At most <see cref="MaxIdle"/> stay open; a connection whose read
/// failed is closed rather than kept.
/// </summary>
internal sealed class SqliteReadConnections(string connectionString) : IDisposable
{
    /// <summary>Idle connections kept: about the number of readers that overlap on a node.</summary>
    public const int MaxIdle = 8;

    private readonly ConcurrentBag<Reader> _idle = [];
    private int _idleCount;
    private long _opened;
    private bool _disposed;

    /// <summary>Reading connections opened so far (read by tests).</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Query commands built on reading connections so far (read by tests).</summary>
    public long StatementsBuilt => _idle.Sum(r => r.Statements.Built);

    /// <summary>Runs <paramref name="sql"/> on a kept connection and maps its one row; default when there is none.</summary>
    public T? QuerySingleOrDefault<T>(string sql, object parameters, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        var reader = Rent();
        T? row;
        try
        {
            row = reader.Statements.QuerySingleOrDefault<T>(sql, parameters);
        }
        catch
        {
            reader.Dispose();
            throw;
        }

        Return(reader);
        return row;
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        while (_idle.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private Reader Rent()
    {
        if (_idle.TryTake(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            return idle;
        }

        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        Interlocked.Increment(ref _opened);
        return new Reader(connection);
    }

    private void Return(Reader reader)
    {
        if (Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            reader.Dispose();
            return;
        }

        _idle.Add(reader);
        if (Volatile.Read(ref _disposed))
        {
            // Disposed meanwhile: nothing may stay open.
            Dispose();
        }
    }

    private sealed class Reader(SqliteConnection connection) : IDisposable
    {
        public SqlitePreparedStatements Statements { get; } = new(connection);

        public void Dispose()
        {
            Statements.Dispose();
            connection.Dispose();
        }
    }
}
