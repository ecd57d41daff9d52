using AsyncFunctions.Nodes;
using Hangfire;

using AsyncFunctions.Storage;

namespace AsyncFunctions.Hangfire.Storage;

/// <summary>
/// One database setup: Hangfire's job storage, the results table's dialect and the schema
/// migration that creates it. Providers register one through <c>builder.UseSqlite(...)</c>,
/// <c>UsePostgreSql(...)</c> or <c>UseSqlServer(...)</c>.
/// </summary>
public sealed class StorageProvider
{
    public required string Name { get; init; }

    public required Func<IServiceProvider, JobStorage> CreateJobStorage { get; init; }

    public required Func<IServiceProvider, SqlDialect> CreateDialect { get; init; }

    /// <summary>Brings the results schema up to date; must be safe when several nodes start at once.</summary>
    public required Func<IServiceProvider, CancellationToken, Task> MigrateAsync { get; init; }

    /// <summary>
    /// False when queued jobs vanish with the process (in-memory job storage): executions left
    /// unfinished by a previous run are then ended at start-up with an error that says why.
    /// </summary>
    public bool JobsSurviveRestart { get; init; } = true;

    /// <summary>
    /// True when the job storage and the results table enlist in one ambient TransactionScope on
    /// one connection: each job is then created inside a scope, so its row and Hangfire's job
    /// commit together or not at all.
    /// </summary>
    public bool CreatesJobsInTransactionScope { get; init; }

    /// <summary>
    /// The job storage's fetched queue entries, which a takeover of a dead node removes (see
    /// docs/node-recovery.md); null for a storage with nothing to remove.
    /// </summary>
    public Func<IServiceProvider, IStaleQueueClaims>? CreateStaleQueueClaims { get; init; }
}
