using System.Data.Common;
using AsyncFunctions.Storage;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Storage.Sqlite;

/// <summary>
/// SQLite: timestamps as integer microseconds, upserts with ON CONFLICT, LIMIT paging, and one
/// group-commit writer (SQLite allows only one writer; batching beats taking turns or spinning on SQLITE_BUSY).
/// </summary>
public sealed class SqliteDialect(string connectionString) : SqlDialect, IDisposable
{
    private readonly SqliteGroupCommitWriter _writer = new(connectionString);
    private readonly SqliteReadConnections _readers = new(connectionString);

    public string ConnectionString { get; } = connectionString;

    /// <summary>Transactions the writer committed; each carries every write that was waiting when it began.</summary>
    public long Commits => _writer.Commits;

    public override DbConnection CreateConnection() => new SqliteConnection(ConnectionString);

    /// <summary>Lets readers run beside the writer; a property of the file, set once when the schema is applied.</summary>
    public const string JournalModeSql = "PRAGMA journal_mode=WAL;";

    /// <summary>
    /// Set on the writer's connection: with WAL, synchronous=NORMAL survives a process crash
    /// without loss; only a power cut may drop the last commits.
    /// </summary>
    public const string SynchronousSql = "PRAGMA synchronous=NORMAL;";

    public override string Earlier(string first, string second) => $"MIN({first}, {second})";

    public override string Page(string selectWhereOrderBy) => selectWhereOrderBy + " LIMIT @Limit";

    public override object ToDb(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public override DateTimeOffset FromDb(object value) =>
        DateTimeOffset.UnixEpoch.AddTicks(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) * TimeSpan.TicksPerMicrosecond);

    /// <summary>Every write goes through one group-commit writer; see <see cref="SqliteGroupCommitWriter"/>.</summary>
    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> write, bool transactional, CancellationToken cancellationToken) =>
        _writer.WriteAsync(write, cancellationToken);

    /// <summary>Statement commands the writer built so far (read by tests).</summary>
    internal long StatementsBuilt => _writer.StatementsBuilt;

    /// <summary>Statements the writer keeps compiled now (read by tests).</summary>
    internal int KeptStatements => _writer.KeptStatements;

    /// <summary>Through the same writer, with the statement compiled once per writer connection.</summary>
    public override Task<bool> WriteRowAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        _writer.WriteRowAsync(sql, parameters, cancellationToken);

    /// <summary>Writes committed by their callers on their own threads, the writer being idle (read by tests).</summary>
    internal long CommittedByCallers => _writer.CommittedByCallers;

    /// <summary>Reading connections opened for kept queries so far (read by tests).</summary>
    internal long ReadConnectionsOpened => _readers.Opened;

    /// <summary>Query commands built on the kept reading connections, counting the idle ones (read by tests).</summary>
    internal long QueriesBuilt => _readers.StatementsBuilt;

    /// <summary>
    /// On a kept reading connection, with the query compiled once per connection. SQLite runs a
    /// query synchronously whichever method is called, so this completes before it returns, as
    /// Microsoft.Data.Sqlite's own asynchronous methods do.
    /// </summary>
    public override Task<T?> ReadRowAsync<T>(string sql, object parameters, CancellationToken cancellationToken) where T : default
    {
        try
        {
            return Task.FromResult(_readers.QuerySingleOrDefault<T>(sql, parameters, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T?>(cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<T?>(ex);
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _readers.Dispose();
    }
}
