using System.Data.Common;
using System.Reflection;
using AsyncFunctions.Storage;
using AsyncFunctions.Storage.Sqlite;

namespace AsyncFunctions.Benchmarks.Hosting;

/// <summary>
/// Wraps the provider's dialect and counts what the results table costs: connections opened for
/// reads and write statements. Two interlocked increments per call.
/// </summary>
public sealed class CountingDialect : SqlDialect, IWorkCounter, IAsyncDisposable, IDisposable
{
    private readonly SqlDialect _inner;
    private long _opened;
    private long _writes;

    private CountingDialect(SqlDialect inner)
    {
        _inner = inner;
    }

    /// <remarks>
    /// Writes open their connection inside the wrapped dialect, so "opened" counts the connections of
    /// reads only. A write call is one statement; SQLite's group-commit writer batches several into one commit.
    /// </remarks>
    public IReadOnlyList<string> Names => _inner is SqliteDialect
        ? ["read connections opened", "write statements", "SQLite commits"]
        : ["read connections opened", "write statements"];

    /// <summary>
    /// Wraps <paramref name="dialect"/> unless it overrides a member of <see cref="SqlDialect"/>
    /// that this wrapper does not forward (the base class may grow); then counting is skipped
    /// rather than changing the SQL the platform runs.
    /// </summary>
    public static SqlDialect TryWrap(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var forwarded = typeof(CountingDialect).GetMethods(all | BindingFlags.DeclaredOnly)
            .Select(m => m.GetBaseDefinition())
            .Where(m => m.DeclaringType == typeof(SqlDialect))
            .ToHashSet();
        // The statements are built by the base from the hooks, which are public and forwarded.
        var overridden = dialect.GetType().GetMethods(all)
            .Where(m => m.IsPublic && m.DeclaringType != typeof(SqlDialect) && m.GetBaseDefinition().DeclaringType == typeof(SqlDialect))
            .Select(m => m.GetBaseDefinition());
        return overridden.All(forwarded.Contains) ? new CountingDialect(dialect) : dialect;
    }

    public override int MaxParameters => _inner.MaxParameters;

    public Task<long[]> ReadAsync() => Task.FromResult(_inner is SqliteDialect sqlite
        ? new[] { Interlocked.Read(ref _opened), Interlocked.Read(ref _writes), sqlite.Commits }
        : [Interlocked.Read(ref _opened), Interlocked.Read(ref _writes)]);

    public override DbConnection CreateConnection() => _inner.CreateConnection();

    public override Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opened);
        return _inner.OpenAsync(cancellationToken);
    }

    public override string Page(string selectWhereOrderBy) => _inner.Page(selectWhereOrderBy);

    public override string InList(string column, string listParameter) => _inner.InList(column, listParameter);

    public override object ToDb(DateTimeOffset value) => _inner.ToDb(value);

    public override DateTimeOffset FromDb(object value) => _inner.FromDb(value);

    /// <summary>Disposes the wrapped dialect (a PostgreSQL dialect owns its data source), as the container would have.</summary>
    public ValueTask DisposeAsync() => _inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    public void Dispose() => (_inner as IDisposable)?.Dispose();

    public override string Json(string parameter) => _inner.Json(parameter);

    public override string Timestamp(string parameter) => _inner.Timestamp(parameter);

    public override string NullableTimestamp(string parameter) => _inner.NullableTimestamp(parameter);

    public override string Earlier(string first, string second) => _inner.Earlier(first, second);

    public override string AfterApply => _inner.AfterApply;

    public override string Upsert(UpsertStatement statement) => _inner.Upsert(statement);

    public override string NextDefinitionVersionSql => _inner.NextDefinitionVersionSql;

    public override string LockDefinitionSql => _inner.LockDefinitionSql;

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> write, bool transactional, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        return _inner.WriteAsync(write, transactional, cancellationToken);
    }

    /// <summary>A row read counts as a read connection opened, whether or not the dialect keeps its reading connections.</summary>
    public override Task<T?> ReadRowAsync<T>(string sql, object parameters, CancellationToken cancellationToken) where T : default
    {
        Interlocked.Increment(ref _opened);
        return _inner.ReadRowAsync<T>(sql, parameters, cancellationToken);
    }

    public override Task<bool> WriteRowAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        return _inner.WriteRowAsync(sql, parameters, cancellationToken);
    }
}
