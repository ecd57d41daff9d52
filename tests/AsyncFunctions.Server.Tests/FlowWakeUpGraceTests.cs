using AsyncFunctions.FlowControl;
using AsyncFunctions.Storage.FlowControl;
using AsyncFunctions.Storage.Sqlite;
using AsyncFunctions.Hangfire.FlowControl;
using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Hangfire.States;
using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.States;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// A waiter handed its slot the moment it began to wait is queued at once. Every job storage takes
/// a held job lock again within milliseconds (the platform's own locks on PostgreSQL, a back-off
/// from 0-2 ms on Redis, a wait that the release ends on SQL Server and in memory), so nothing
/// is gained by letting a fresh Waiting state age first; a slot that freed just after its waiter
/// arrived (the first hand-over of a burst) used to wait 30 ms for it.
/// </summary>
public sealed class FlowWakeUpGraceTests
{
    [Fact]
    public async Task A_waiter_handed_its_slot_the_moment_it_began_to_wait_is_queued_without_time_passing()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow); // never advanced: a wait on it never ends
        using var storage = new InMemoryStorage();
        var client = new BackgroundJobClient(storage);
        var id = client.Create(Job.FromExpression(() => NoWork.Nothing()), new WaitingState("a slot of t.limited", time.GetUtcNow()));
        using var threads = new JobCreationThreads(1);
        using var dialect = new SqliteDialect("Data Source=:memory:"); // the store is not asked: the hand-over already happened
        var wakeUps = new FlowWakeUps(
            new FlowWakeUpQueue(),
            new DapperFlowAdmissionStore(dialect),
            client,
            storage,
            threads,
            Options.Create(new AdmissionOptions()),
            time,
            NullLogger<FlowWakeUps>.Instance);

        var woken = await wakeUps.WakeGrantedAsync(new GrantedWaiter(id, "t.limited", time.GetUtcNow()), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(woken);
        using var connection = storage.GetConnection();
        Assert.Equal(EnqueuedState.StateName, connection.GetStateData(id).Name);
    }
}

/// <summary>The job the waiting execution stands for; never run here.</summary>
public static class NoWork
{
    public static void Nothing()
    {
    }
}
