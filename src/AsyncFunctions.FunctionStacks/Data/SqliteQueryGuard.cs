using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.Functions;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AsyncFunctions.FunctionStacks.Data;

/// <summary>
/// Opens the connection of one query step and, when it is SQLite, holds it to that step's rules:
/// a fresh, unpooled handle (nothing one execution leaves on a connection reaches the next), the
/// statement rules of <see cref="SqliteStatementRules"/>, no attached databases, values no longer
/// than a variable may be, databases no larger than <see cref="Hosting.StackLimitOptions.SqliteDatabaseBytes"/>, and a stop at the step's timeout or the execution's cancellation even
/// while SQLite computes (the driver's command timeout only bounds waits for locks).
/// </summary>
internal sealed class SqliteQueryGuard(TimeSpan timeout, int maxValueBytes, long maxDatabaseBytes, CancellationToken cancellationToken)
{
    /// <summary>How many virtual-machine instructions SQLite runs between two looks at the clock and the token.</summary>
    private const int InstructionsBetweenChecks = 1000;

    private readonly long _deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    private volatile bool _timedOut;
    private volatile bool _cancelled;
    private volatile bool _refused;

    public async Task OpenAsync(DbConnection connection)
    {
        if (connection is SqliteConnection { State: ConnectionState.Closed } closed)
        {
            closed.ConnectionString = new SqliteConnectionStringBuilder(closed.ConnectionString) { Pooling = false }.ToString();
        }

        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (connection is SqliteConnection { Handle: { } handle } sqlite)
        {
            if (maxDatabaseBytes > 0)
            {
                await BoundSizeAsync(sqlite).ConfigureAwait(false);
            }

            Restrict(handle);
        }
    }

    /// <summary>The step's error for a database error these rules caused, or null for any other error.</summary>
    public Exception? Explain(DbException error, string path, string connection)
    {
        if (error is not SqliteException sqlite)
        {
            return null;
        }

        var code = sqlite.SqliteErrorCode & 0xFF;
        if (_cancelled || (code == raw.SQLITE_INTERRUPT && cancellationToken.IsCancellationRequested))
        {
            return new OperationCanceledException("The query was stopped because the execution was cancelled.", error, cancellationToken);
        }

        if (_timedOut || (code is raw.SQLITE_BUSY or raw.SQLITE_LOCKED && Stopwatch.GetTimestamp() >= _deadline))
        {
            return new StackErrorException(StackErrorCodes.QueryTimeout,
                $"The query at {path} ran longer than {timeout.TotalSeconds} s.",
                new JsonObject { ["connection"] = connection, ["timeoutSeconds"] = timeout.TotalSeconds });
        }

        if (_refused)
        {
            return new StackErrorException(StackErrorCodes.QueryDenied,
                $"The query at {path} was refused: query steps may not attach or detach databases, vacuum, run PRAGMA statements or load extensions.",
                new JsonObject { ["connection"] = connection });
        }

        if (code == raw.SQLITE_FULL && maxDatabaseBytes > 0)
        {
            return new FunctionException(StackErrorCodes.LimitDatabaseSize,
                $"The query at {path} would grow the database of the connection '{connection}' beyond {maxDatabaseBytes} bytes (limit.database_size), or the disk is full.");
        }

        return code == raw.SQLITE_TOOBIG
            ? new FunctionException(StackErrorCodes.LimitVariableSize,
                $"A value in the query at {path} is longer than {maxValueBytes} bytes (limit.variable_size).")
            : null;
    }

    /// <summary>
    /// A page limit on the main and the temporary database, set before the statement rules refuse
    /// PRAGMA to the step's own SQL. SQLite answers SQLITE_FULL to a write beyond it.
    /// </summary>
    private async Task BoundSizeAsync(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            foreach (var schema in (string[])["main", "temp"])
            {
                command.CommandText = $"PRAGMA {schema}.page_size";
                var pageSize = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                command.CommandText = FormattableString.Invariant($"PRAGMA {schema}.max_page_count = {Math.Max(1, maxDatabaseBytes / Math.Max(512, pageSize))}");
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Restrict(sqlite3 database)
    {
        raw.sqlite3_limit(database, raw.SQLITE_LIMIT_ATTACHED, 0);
        raw.sqlite3_limit(database, raw.SQLITE_LIMIT_LENGTH, maxValueBytes);

        // Defensive mode keeps ordinary SQL from corrupting the file (schema writes, shadow tables, raw pages).
        raw.sqlite3_db_config(database, raw.SQLITE_DBCONFIG_DEFENSIVE, 1, out _);
        SqliteStatementRules.Install(database, () => _refused = true);
        raw.sqlite3_progress_handler(database, InstructionsBetweenChecks, Check, null);
    }

    /// <summary>A non-zero answer makes SQLite interrupt the running statement.</summary>
    private int Check(object userData)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            _cancelled = true;
            return 1;
        }

        if (Stopwatch.GetTimestamp() >= _deadline)
        {
            _timedOut = true;
            return 1;
        }

        return 0;
    }
}
