using AsyncFunctions.AspNetCore.Http;
using AsyncFunctions.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AsyncFunctions.Server.Tests;

/// <summary>Which database failures pass by themselves (a 503 with Retry-After) and which do not (a 500).</summary>
public sealed class TransientDatabaseFailureTests
{
    [Theory]
    [InlineData("53300", true)] // sorry, too many clients already
    [InlineData("57P03", true)] // the database system is starting up
    [InlineData("08006", true)] // connection failure
    [InlineData("40P01", true)] // deadlock detected
    [InlineData("57014", true)] // statement time-out
    [InlineData("23505", false)] // unique violation
    [InlineData("42P01", false)] // undefined table
    public void A_postgres_error_is_transient_by_its_sql_state(string sqlState, bool transient)
    {
        var error = new PostgresException("message", "FATAL", "FATAL", sqlState);

        Assert.Equal(transient, TransientDatabaseFailure.IsTransient(error));
    }

    [Fact]
    public void A_pool_without_a_free_connection_in_time_and_a_refused_connection_are_transient()
    {
        var exhausted = new NpgsqlException("The connection pool has been exhausted", new TimeoutException());
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111));

        Assert.True(TransientDatabaseFailure.IsTransient(exhausted));
        Assert.True(TransientDatabaseFailure.IsTransient(refused));
    }

    [Theory]
    [InlineData(5, true)] // SQLITE_BUSY
    [InlineData(6, true)] // SQLITE_LOCKED
    [InlineData(19, false)] // SQLITE_CONSTRAINT
    [InlineData(11, false)] // SQLITE_CORRUPT
    public void A_sqlite_error_is_transient_when_busy_or_locked(int code, bool transient)
    {
        Assert.Equal(transient, TransientDatabaseFailure.IsTransient(new SqliteException("message", code)));
    }

    [Theory]
    [InlineData(-2, true)] // time-out
    [InlineData(1205, true)] // deadlock victim
    [InlineData(40501, true)] // service busy
    [InlineData(10053, true)] // connection aborted
    [InlineData(2627, false)] // unique key violation
    [InlineData(18456, false)] // login failed
    public void A_sql_server_error_number_is_transient_when_it_is_one_of_the_known_ones(int number, bool transient)
    {
        Assert.Equal(transient, TransientDatabaseFailure.IsTransientSqlServerNumber(number));
    }

    [Fact]
    public void A_transient_failure_inside_wrappers_is_found()
    {
        var inner = new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300");
        var wrapped = new InvalidOperationException("creation failed", new AggregateException(new ArgumentException("other"), inner));

        Assert.True(TransientDatabaseFailure.IsTransient(wrapped));
        Assert.False(TransientDatabaseFailure.IsTransient(new InvalidOperationException("plain")));
        Assert.False(TransientDatabaseFailure.IsTransient(null));
    }

    [Fact]
    public void A_lock_that_hangfire_gave_up_waiting_for_is_a_503()
    {
        var timeout = new global::Hangfire.BackgroundJobClientException("failed", new global::Hangfire.Storage.DistributedLockTimeoutException("job:1:state-lock"));

        Assert.True(ApiExceptionHandler.IsTransient(timeout));
        Assert.False(ApiExceptionHandler.IsTransient(new InvalidOperationException("plain")));
    }
}
