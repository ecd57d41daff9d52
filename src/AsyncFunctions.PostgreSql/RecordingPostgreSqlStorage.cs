using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Hangfire.PostgreSql whose write transactions also commit the results table's writes of a job's
/// state change (<see cref="RecordingWriteTransaction"/>). It must take its connections from the
/// results table's pool with <c>Enlist=true</c> (<see cref="SharedPoolConnectionFactory"/>), so the
/// two share one physical connection and one local transaction.
/// </summary>
internal sealed class RecordingPostgreSqlStorage(IConnectionFactory connections, PostgreSqlStorageOptions options)
    : PostgreSqlStorage(connections, options)
{
    public override IStorageConnection GetConnection()
    {
        // The base connection has nothing to release: this only keeps the base's first-use checks.
        base.GetConnection().Dispose();
        return new RecordingConnection(this);
    }

    /// <summary>Hangfire.PostgreSql's connection, whose write transactions record on commit.</summary>
    private sealed class RecordingConnection(RecordingPostgreSqlStorage storage) : PostgreSqlConnection(storage)
    {
        public override IWriteOnlyTransaction CreateWriteTransaction() => new RecordingWriteTransaction(storage);
    }
}
