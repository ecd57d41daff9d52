using AsyncFunctions.Storage.PostgreSql;
using Hangfire.PostgreSql;
using Npgsql;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Hangfire.PostgreSql's connections, taken from the results table's pool, so a node holds one
/// pool bounded by <see cref="PostgreSqlProviderOptions.MaxPoolSize"/>. Inside one
/// TransactionScope, Npgsql hands a connection closed in the scope to the next one opened from
/// the same pool, so creating a job (its insert, our row, its state and queue entry) runs on one
/// connection in one local transaction and commits once.
/// </summary>
internal sealed class SharedPoolConnectionFactory(PostgreSqlDialect dialect) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => dialect.CreateNpgsqlConnection();
}
