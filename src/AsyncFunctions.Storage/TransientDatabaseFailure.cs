using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AsyncFunctions.Storage;

/// <summary>
/// Tells a database failure that passes by itself (the server is out of connections, a connection
/// was refused, reset or timed out, a pool had no free connection in time, SQLite was busy, one of
/// SQL Server's transient error numbers) from one that a retry would only repeat. Callers answer
/// the first with "try again later" (HTTP 503 with Retry-After) rather than an internal error.
/// </summary>
public static class TransientDatabaseFailure
{
    /// <summary>SQLITE_BUSY and SQLITE_LOCKED: another connection holds the lock for longer than the busy timeout.</summary>
    private static readonly HashSet<int> SqliteCodes = [5, 6];

    /// <summary>
    /// SQL Server's and Azure SQL's transient errors: time-out (-2), connection failures (2, 53, 64,
    /// 121, 233, 10053, 10054, 10060, 10061), deadlock victim (1205), lock request time-out (1222),
    /// database not yet available or moving (4060, 4221, 40143, 40197, 40501, 40540, 40613, 49918,
    /// 49919, 49920), resource limits of the pool (10928, 10929) and login throttling (18456 is not
    /// among them: a wrong password does not pass).
    /// </summary>
    private static readonly HashSet<int> SqlServerNumbers =
    [
        -2, 2, 53, 64, 121, 233, 1205, 1222, 4060, 4221, 10053, 10054, 10060, 10061, 10928, 10929,
        40143, 40197, 40501, 40540, 40613, 49918, 49919, 49920,
    ];

    /// <summary>True when <paramref name="exception"/>, or an exception inside it, is a transient database failure.</summary>
    public static bool IsTransient(Exception? exception)
    {
        for (var depth = 0; exception is not null && depth < 16; depth++)
        {
            if (exception is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Any(IsTransient);
            }

            if (IsTransientItself(exception))
            {
                return true;
            }

            exception = exception.InnerException;
        }

        return false;
    }

    /// <summary>Whether a SQL Server error number is one of the transient ones.</summary>
    public static bool IsTransientSqlServerNumber(int number) => SqlServerNumbers.Contains(number);

    private static bool IsTransientItself(Exception exception) => exception switch
    {
        // Npgsql's own classification: class 53 (too many connections, out of memory), class 08
        // (connection failures), 57P01-57P03 (server shutting down or starting), serialization
        // failures and deadlocks. 57014 is a statement time-out.
        PostgresException postgres => postgres.IsTransient || postgres.SqlState == PostgresErrorCodes.QueryCanceled,
        // No server answer: a refused, reset or timed-out connection, or no pool slot in time.
        NpgsqlException npgsql => npgsql.IsTransient,
        SqliteException sqlite => SqliteCodes.Contains(sqlite.SqliteErrorCode),
        SqlException sql => sql.Errors.Cast<SqlError>().Any(e => IsTransientSqlServerNumber(e.Number)),
        DbException db => db.IsTransient,
        TimeoutException or SocketException => true,
        _ => false,
    };
}
