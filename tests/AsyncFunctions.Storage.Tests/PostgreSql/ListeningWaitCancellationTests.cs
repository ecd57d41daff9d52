using System.Diagnostics;
using AsyncFunctions.Storage.PostgreSql;
using AsyncFunctions.Storage.Tests.Fixtures;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>
/// Hangfire.PostgreSql's fetch listens for new jobs on a connection cloned from the pool's
/// connection string, cancels that wait as soon as it claimed a job and then blocks until the wait
/// ends. Npgsql can miss a cancellation that lands as its wait begins (npgsql/npgsql#5975); such a
/// wait then ends only at the next NOTIFY on the channel, and the worker holds its claimed job
/// until then. A keepalive in the connection string (the documented workaround, <c>Keepalive=2</c>)
/// wakes such a wait, which then sees its cancellation; without one, 5 of 8,000 such waits never ended.
/// </summary>
public sealed class ListeningWaitCancellationTests : IAsyncLifetime
{
    private const int Iterations = 8_000;
    private const int Loops = 4;
    private const int KeepaliveSeconds = 2;

    private PostgreSqlTestServer _server = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _server = await PostgreSqlTestServer.GetAsync();
        _connectionString = await _server.CreateDatabaseAsync("af_listen");
    }

    public Task DisposeAsync() => _server.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task With_a_keepalive_a_listening_wait_cancelled_as_it_begins_always_ends()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(PostgreSqlDialect.ResultsConnectionString(_connectionString)) { KeepAlive = KeepaliveSeconds }.ConnectionString;
        // Far above the keepalive, so a busy machine does not fail it; a missed cancellation
        // without the keepalive never ends (no NOTIFY is ever sent on the channel here).
        var bound = TimeSpan.FromSeconds(KeepaliveSeconds + 20);
        var stuck = 0;
        var longest = TimeSpan.Zero;
        var gate = new Lock();

        await Task.WhenAll(Enumerable.Range(0, Loops).Select(loop => Task.Run(() =>
        {
            var random = new Random(loop);
            for (var i = 0; i < Iterations / Loops; i++)
            {
                using var cancel = new CancellationTokenSource();
                using var listening = new ManualResetEventSlim();
                var wait = Task.Run(async () =>
                {
                    await using var connection = new NpgsqlConnection(connectionString);
                    await connection.OpenAsync(CancellationToken.None);
                    await using (var listen = new NpgsqlCommand("LISTEN af_listen_test", connection))
                    {
                        await listen.ExecuteNonQueryAsync(CancellationToken.None);
                    }

                    listening.Set();
                    try
                    {
                        await connection.WaitAsync(cancel.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The cancellation was seen: what every wait must come to.
                    }
                });

                Assert.True(listening.Wait(bound), "The connection did not start listening.");
                // Cancel within a few microseconds of the wait's start, where the race lies.
                var spin = Stopwatch.StartNew();
                var micros = random.Next(0, 40);
                while (spin.Elapsed.TotalMicroseconds < micros)
                {
                }

                var cancelled = Stopwatch.StartNew();
                cancel.Cancel();
                var ended = wait.Wait(bound);
                lock (gate)
                {
                    stuck += ended ? 0 : 1;
                    longest = cancelled.Elapsed > longest ? cancelled.Elapsed : longest;
                }
            }
        })));

        Assert.True(stuck == 0, $"{stuck} of {Iterations} listening waits did not end within {bound.TotalSeconds:F0} s of their cancellation (longest {longest.TotalSeconds:F1} s).");
    }
}
