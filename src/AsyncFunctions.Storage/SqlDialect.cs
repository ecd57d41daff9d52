using System.Data.Common;

namespace AsyncFunctions.Storage;

/// <summary>
/// What differs between databases for the results table: connections, upserts, paging and how
/// timestamps and JSON travel. Standard SQL lives in <see cref="DapperExecutionStore"/>; each
/// database overrides only what it must.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The columns every query of an execution row reads.</summary>
    public const string RowColumns =
        "seq, id, function_name, function_version, status, input, output, error_type, error_message, error_code, error_data, " +
        "attempts, parent_id, root_id, call_depth, created_at, started_at, completed_at";

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

    /// <summary>
    /// Inserts a new row (parameters: Id, Function, FunctionVersion, Status, Phase, At, Input,
    /// ParentId, RootId, CallDepth, LeaseExpiresAt); when a placeholder exists, fills in what it lacks without touching its status.
    /// </summary>
    public abstract string CreateSql { get; }

    /// <summary>
    /// Counts one more async start on a tree's root row unless the tree reached @Max (parameters:
    /// RootId, Max); one row changed means the start may go on.
    /// </summary>
    public virtual string CountTreeStartSql => "UPDATE af_executions SET tree_starts = tree_starts + 1 WHERE id = @RootId AND tree_starts < @Max";

    /// <summary>
    /// Upserts a status change under the monotonic rule (parameters: Id, Function, Status, Phase,
    /// At, Output, ErrorType, ErrorMessage, ErrorCode, ErrorData, Attempt (0 or 1), StartedAt, CompletedAt).
    /// </summary>
    public abstract string ApplySql { get; }

    /// <summary>
    /// A condition that <paramref name="column"/> is one of the values of the list parameter
    /// <paramref name="listParameter"/>. Dapper expands <c>IN @list</c> into one parameter per value,
    /// except on PostgreSQL, where it sends the list as one array parameter.
    /// </summary>
    public virtual string InList(string column, string listParameter) => $"{column} IN {listParameter}";

    /// <summary>How a JSON text parameter is written into a JSON column (PostgreSQL needs a cast).</summary>
    public virtual string Json(string parameter) => parameter;

    /// <summary>
    /// Locks a function name's row for the rest of the transaction, creating it (version 0,
    /// deleted) when the name is new, so saves of one name run one after another
    /// (parameters: Name, At, Deleted = true).
    /// </summary>
    public virtual string LockDefinitionSql => """
        INSERT INTO af_functions (name, latest_version, deleted, updated_at) VALUES (@Name, 0, @Deleted, @At)
        ON CONFLICT (name) DO UPDATE SET name = excluded.name
        """;

    /// <summary>
    /// Makes a function name current with its next version number and returns that number
    /// (parameters: Name, At, NotDeleted = false).
    /// </summary>
    public virtual string NextDefinitionVersionSql => """
        INSERT INTO af_functions (name, latest_version, deleted, updated_at) VALUES (@Name, 1, @NotDeleted, @At)
        ON CONFLICT (name) DO UPDATE SET latest_version = af_functions.latest_version + 1, deleted = @NotDeleted, updated_at = @At
        RETURNING latest_version
        """;

    /// <summary>Wraps a filtered, ordered select of <see cref="RowColumns"/> so it returns at most @Limit rows.</summary>
    public abstract string Page(string selectWhereOrderBy);

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
}
