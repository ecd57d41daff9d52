using System.Globalization;
using AsyncFunctions.Storage.PostgreSql;
using Dapper;
using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// A worker's fetch from Hangfire.PostgreSql's queue table: one unflushed claim statement
/// (<see cref="PostgreSqlDialect.ClaimHangfireJobSql"/>, the same claim as Hangfire.PostgreSql's own,
/// taking the queues in the order given, which is the worker's priority order, where Hangfire.PostgreSql
/// sorts them by name), and while nothing is queued a wait on <see cref="JobArrivals"/>, which the node's one
/// <see cref="JobArrivalListener"/> rings, with the queue poll interval as the fallback.
/// Hangfire.PostgreSql's fetch opens a LISTEN of its own for each fetch, cancels it once it claimed
/// a job and blocks until that wait ends; Npgsql can miss such a cancellation (npgsql/npgsql#5975),
/// and then the worker held its claimed job, never starting it, until the next enqueue anywhere.
/// </summary>
internal sealed class ListeningJobFetch(PostgreSqlStorage storage, IConnectionFactory connections, PostgreSqlStorageOptions options, JobArrivals arrivals)
{
    private readonly string _claimSql = PostgreSqlDialect.ClaimHangfireJobSql(options.SchemaName);
    private readonly string _claimOfOneQueueSql = PostgreSqlDialect.ClaimHangfireJobOfOneQueueSql(options.SchemaName);

    /// <summary>Hangfire.PostgreSql's other transaction mode claims by update counts, which this does not keep.</summary>
    public bool Handles => options.UseNativeDatabaseTransactions;

    public IFetchedJob Fetch(string[] queues, CancellationToken cancellationToken)
    {
        if (queues is not { Length: > 0 })
        {
            throw new ArgumentException("At least one queue must be given.", nameof(queues));
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryClaim(queues) is { } claimed)
            {
                if (claimed.More)
                {
                    arrivals.Ring(queues);
                }

                return new PostgreSqlFetchedJob(storage, claimed.Id, claimed.JobId.ToString(CultureInfo.InvariantCulture), claimed.Queue, claimed.FetchedAt);
            }

            arrivals.Wait(queues, options.QueuePollInterval, cancellationToken);
        }
    }

    private Claimed? TryClaim(string[] queues)
    {
        using var connection = connections.GetOrCreateConnection();
        connection.Open();
        return connection.QuerySingleOrDefault<Claimed>(queues.Length == 1 ? _claimOfOneQueueSql : _claimSql, new { Queues = queues, Invisibility = options.InvisibilityTimeout });
    }

    /// <summary>The row of <see cref="PostgreSqlDialect.ClaimHangfireJobSql"/>.</summary>
    private sealed class Claimed
    {
        public long Id { get; init; }

        public long JobId { get; init; }

        public string Queue { get; init; } = "";

        public DateTime FetchedAt { get; init; }

        public bool More { get; init; }
    }
}
