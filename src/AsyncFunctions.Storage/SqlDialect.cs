using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>
/// Every SQL statement of the platform, and how each database runs them. This base holds the
/// standard statements, one partial file per store (executions, suspensions, idempotency,
/// maintenance, functions, logs, callbacks); a database's dialect overrides only the hooks in
/// which it differs (paging, list parameters, JSON and timestamp parameters, the upsert) and, rarely,
/// a whole statement. The stores hold no SQL text: they bind parameters and map rows.
/// </summary>
public abstract partial class SqlDialect
{
    // Statement texts are built once from the dialect's hooks: the hot writes are looked up by text.
    private readonly ConcurrentDictionary<string, object> _statements = new(StringComparer.Ordinal);

    public abstract DbConnection CreateConnection();

    /// <summary>Opens a connection ready for use; dialects add per-connection settings here.</summary>
    public virtual async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Wraps a filtered, ordered select so it returns at most @Limit rows.</summary>
    public abstract string Page(string selectWhereOrderBy);

    /// <summary>
    /// A condition that <paramref name="column"/> is one of the values of the list parameter
    /// <paramref name="listParameter"/>. Dapper expands <c>IN @list</c> into one parameter per value,
    /// except on PostgreSQL, where it sends the list as one array parameter.
    /// </summary>
    public virtual string InList(string column, string listParameter) => $"{column} IN {listParameter}";

    /// <summary>How a JSON text parameter is written into a JSON column (PostgreSQL needs a cast).</summary>
    public virtual string Json(string parameter) => parameter;

    /// <summary>A timestamp parameter written into a column, typed where the database needs it.</summary>
    public virtual string Timestamp(string parameter) => parameter;

    /// <summary>A timestamp parameter that may be null, typed where the database cannot infer it.</summary>
    public virtual string NullableTimestamp(string parameter) => Timestamp(parameter);

    /// <summary>The earlier of two timestamps (standard <c>LEAST</c>; SQLite spells it <c>MIN</c>).</summary>
    public virtual string Earlier(string first, string second) => $"LEAST({first}, {second})";

    /// <summary>What follows the status upsert, e.g. a notification of the rows it wrote.</summary>
    public virtual string AfterApply => "";

    /// <summary>
    /// The text of an upsert: standard <c>INSERT ... ON CONFLICT</c>, the stored row named
    /// <see cref="UpsertStatement.StoredAlias"/>. A database without <c>ON CONFLICT</c> overrides
    /// this one hook, not the statements.
    /// </summary>
    public virtual string Upsert(UpsertStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var alias = UpsertStatement.StoredAlias;
        var insert = $"""
            INSERT INTO {statement.Table} AS {alias} ({statement.ColumnList})
            VALUES ({statement.ValueList})
            ON CONFLICT ({string.Join(", ", statement.Keys)}) DO
            """;
        if (statement.Set is null)
        {
            return insert + " NOTHING";
        }

        var row = new UpsertRow(column => "EXCLUDED." + column, column => $"{alias}.{column}");
        var when = statement.When is null ? "" : $"\nWHERE {statement.When(row)}";
        return $"{insert} UPDATE SET\n    {statement.Set(row)}{when}";
    }

    /// <summary>Converts a timestamp into the value stored in the database.</summary>
    public virtual object ToDb(DateTimeOffset value) => value.UtcDateTime;

    /// <summary>Converts a stored timestamp back.</summary>
    public virtual DateTimeOffset FromDb(object value) => value switch
    {
        DateTimeOffset offset => offset.ToUniversalTime(),
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        _ => throw new InvalidCastException($"Cannot read a timestamp from {value.GetType().Name}."),
    };

    /// <summary>Most parameters one statement may carry; list queries are chunked below it.</summary>
    public virtual int MaxParameters => 999;

    /// <summary>
    /// Runs a write. By default on a pooled connection opened for it, inside a transaction only
    /// when <paramref name="transactional"/> (several statements that must land together).
    /// SQLite instead runs every write inside its group-commit transaction; either way the
    /// write must pass the given transaction (null or not) to each command.
    /// </summary>
    public virtual async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> write, bool transactional, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (!transactional)
            {
                return await write(connection, null).ConfigureAwait(false);
            }

            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await write(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    /// <summary>
    /// Runs one write statement whose parameters are the public properties of
    /// <paramref name="parameters"/> (as Dapper reads them); true when it changed a row. The hot
    /// writes of every execution come here, so a dialect that keeps its writing connection open
    /// (SQLite) overrides it to reuse each statement's compiled form instead of compiling it again.
    /// </summary>
    public virtual Task<bool> WriteRowAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0,
            transactional: false,
            cancellationToken);

    /// <summary>
    /// Reads at most one row of a query whose parameters are the public properties of
    /// <paramref name="parameters"/>, mapped by Dapper; null when there is none. The row read before
    /// every run comes here, so a dialect that can keep reading connections open (SQLite) overrides it
    /// to reuse the query's compiled form.
    /// </summary>
    public virtual async Task<T?> ReadRowAsync<T>(string sql, object parameters, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one write statement (no transaction of its own); returns the rows it changed.</summary>
    public Task<int> WriteStatementAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)),
            transactional: false,
            cancellationToken);

    /// <summary>A statement text built once, on first use, from this dialect's hooks.</summary>
    protected string Statement(Func<string> build, [CallerMemberName] string name = "") =>
        (string)_statements.GetOrAdd(name, static (_, build) => build(), build);

    /// <summary>A list of statements run in order, built once, on first use.</summary>
    protected IReadOnlyList<string> Statements(Func<IReadOnlyList<string>> build, [CallerMemberName] string name = "") =>
        (IReadOnlyList<string>)_statements.GetOrAdd(name, static (_, build) => build(), build);
}
