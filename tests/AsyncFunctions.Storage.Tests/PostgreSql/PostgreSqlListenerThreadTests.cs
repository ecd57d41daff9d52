using System.Collections.Concurrent;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using AsyncFunctions.Storage.PostgreSql;
using AsyncFunctions.Storage.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>
/// The completion listener receives on a thread of its own: every finished execution of every node
/// reaches each node's listener, and none of them becomes a thread-pool work item there. Its
/// waits time out every fraction of a second (to notice a stop) without losing what comes later.
/// </summary>
public sealed class PostgreSqlListenerThreadTests(PostgreSqlStoreFixture database) : IClassFixture<PostgreSqlStoreFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Notifications_arrive_on_the_listening_thread_also_after_its_waits_timed_out()
    {
        var publisher = new RecordingPublisher();
        using var listener = new PostgreSqlCompletionListener(
            database.ConnectionString, publisher, TimeProvider.System, NullLogger<PostgreSqlCompletionListener>.Instance, TimeSpan.FromMilliseconds(500));
        await listener.StartAsync(CancellationToken.None);
        try
        {
            await listener.Listening.WaitAsync(Generous);
            await NotifyAsync("first");
            await publisher.WaitForAsync("first");

            // Long enough for several of the listener's waits to time out in between.
            await Task.Delay(TimeSpan.FromSeconds(1));
            await NotifyAsync("second");
            await publisher.WaitForAsync("second");

            Assert.All(publisher.Signals, s => Assert.False(s.OnPoolThread, $"'{s.Id}' was signalled on a thread-pool thread"));
            Assert.Single(publisher.Signals.Select(s => s.Thread).Distinct());
        }
        finally
        {
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await listener.StopAsync(CancellationToken.None);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"the listener took {stopping.Elapsed} to stop");
        }
    }

    private async Task NotifyAsync(string id)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_notify(@Channel, @Id)", connection);
        command.Parameters.AddWithValue("Channel", PostgreSqlDialect.NotificationChannel);
        command.Parameters.AddWithValue("Id", id);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class RecordingPublisher : ICompletionPublisher
    {
        private readonly ConcurrentQueue<(string Id, bool OnPoolThread, int Thread)> _signals = new();

        public IReadOnlyCollection<(string Id, bool OnPoolThread, int Thread)> Signals => _signals;

        public void Publish(ExecutionResult result)
        {
        }

        public void Signal(IEnumerable<string> ids)
        {
            foreach (var id in ids)
            {
                _signals.Enqueue((id, Thread.CurrentThread.IsThreadPoolThread, Environment.CurrentManagedThreadId));
            }
        }

        public async Task WaitForAsync(string id)
        {
            var deadline = DateTime.UtcNow + Generous;
            while (!_signals.Any(s => s.Id == id))
            {
                Assert.True(DateTime.UtcNow < deadline, $"no notification of '{id}' arrived");
                await Task.Delay(20);
            }
        }
    }
}
