using System.Globalization;
using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Hosting;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Reporting;
using AsyncFunctions.Executions;
using AsyncFunctions.Storage;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 11: where the CPU of one no-op execution goes. The same burn-down as scenario 1 on
/// raw Hangfire, on the platform, and on the platform with its results kept in memory (the storage
/// contract's in-memory store, JSON as text as in a database); then the results store alone,
/// driven from the same producer threads with exactly the platform's calls for one execution
/// (the insert, the Processing write, the row read, the Succeeded write). The platform's cost is
/// about the in-memory variant's plus the store's, which shows how much of it is the results table;
/// on SQLite a last row measures SQLite's own cost of the three status commits, with nothing around them.
/// Every row's raw column is the raw Hangfire figure of the same repetition.
/// </summary>
public sealed class CostBreakdownScenario : IScenario
{
    public const string Title = "11. where one execution's CPU goes";

    public const string Platform = "the platform";
    public const string InMemory = "the platform, results kept in memory";
    public const string StoreAlone = "the results store alone (insert, 2 status writes, 1 read)";
    public const string StoreWrites = "of which its 3 writes (values built, handed to the writer, committed)";
    public const string StoreWritesAlone = "of which its 3 writes from one thread (none overlap: 3 commits)";
    public const string StoreRead = "of which its row read (the job's read before a run)";
    public const string StoreValues = "of which building the 3 writes' values (parameter objects, JSON text; nothing written)";
    public const string Commits = "3 status writes, each committed alone on one connection, compiled once (SQLite, no platform)";

    public string Name => Title;

    public async Task RunAsync(ScenarioContext context)
    {
        var count = context.BurnDownCount;
        var producers = context.Settings.Producers;
        for (var rep = 0; rep < context.Settings.Repetitions; rep++)
        {
            double[] raw;
            var side = await context.OpenSideAsync(Sides.Raw).ConfigureAwait(false);
            await using (side.ConfigureAwait(false))
            {
                raw = (await BurnDown.MeasureAsync(side, count, producers, payload: null).ConfigureAwait(false)).CostPerExecution;
            }

            var measured = new List<(string Part, double[] Cost)>();
            foreach (var resultsInMemory in rep % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var platform = await context.OpenPlatformAsync(resultsInMemory: resultsInMemory).ConfigureAwait(false);
                await using (platform.ConfigureAwait(false))
                {
                    var result = await BurnDown.MeasureAsync(platform, count, producers, payload: null).ConfigureAwait(false);
                    measured.Add((resultsInMemory ? InMemory : Platform, result.CostPerExecution));
                }
            }

            var host = await context.OpenPlatformAsync().ConfigureAwait(false);
            var split = "";
            await using (host.ConfigureAwait(false))
            {
                measured.Add((StoreAlone, MeasureStore(host.Store, count, producers, Parts.All)));
                var commitsBefore = await CommitsAsync(host).ConfigureAwait(false);
                var ids = new string[count];
                measured.Add((StoreWrites, MeasureStore(host.Store, count, producers, Parts.Writes, ids)));
                var commitsAfter = await CommitsAsync(host).ConfigureAwait(false);
                measured.Add((StoreWritesAlone, MeasureStore(host.Store, count, 1, Parts.Writes)));
                measured.Add((StoreRead, MeasureStore(host.Store, count, producers, Parts.Read, ids)));
                measured.Add((StoreValues, MeasureStore(new DapperExecutionStore(new NotWritingDialect(host.Dialect)), count, producers, Parts.Writes)));
                if (context.Storage.Name == "sqlite")
                {
                    measured.Add((Commits, MeasureCommits(host.Dialect, count)));
                }

                if (commitsBefore is { } before && commitsAfter is { } after)
                {
                    split = string.Create(CultureInfo.InvariantCulture, $"; the writes took {(after - before) / (double)count:0.00} SQLite commits per execution");
                }
            }

            foreach (var (part, cost) in measured)
            {
                for (var i = 0; i < 2; i++)
                {
                    var metric = new Metric($"{ProcessCost.Names[i]} per execution: {part}", "", HigherIsBetter: false);
                    context.Add(Name, metric, Sides.Ours, cost[i]);
                    context.Add(Name, metric, Sides.Raw, raw[i]);
                }
            }

            var parts = string.Join(", ", measured.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Part} {m.Cost[0]:0}")));
            context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    rep {rep + 1}: CPU µs per execution: raw {raw[0]:0}, {parts}{split}; load average {LoadAverage()}"));
        }

        context.Note(Name, string.Create(CultureInfo.InvariantCulture,
            $"N = {count:N0} no-op executions per part and repetition, {producers} producer threads; CPU time and allocation of the whole process from the first start to the last completion. The raw column is raw Hangfire on the same job storage in the same repetition."));
    }

    [Flags]
    private enum Parts
    {
        Writes = 1,
        Read = 2,
        All = Writes | Read,
    }

    /// <summary>
    /// One execution's calls to the results store, as the state filter and the job make them: writes
    /// waited for as the filter waits, the read awaited as the job awaits it. With only some
    /// <paramref name="parts"/>, the others are left out; a read alone reads the rows whose ids
    /// <paramref name="ids"/> holds, written by an earlier call with the writes alone.
    /// </summary>
    private static double[] MeasureStore(IExecutionStore store, int count, int producers, Parts parts, string[]? ids = null)
    {
        ids ??= new string[count];
        if (parts.HasFlag(Parts.Writes))
        {
            for (var i = 0; i < count; i++)
            {
                ids[i] = Guid.NewGuid().ToString("N");
            }
        }

        var cost = ProcessCost.Now();
        LoadGenerator.Run(count, producers, ratePerSecond: null, (i, _) =>
        {
            var id = ids[i];
            var at = DateTimeOffset.UtcNow;
            if (parts.HasFlag(Parts.Writes))
            {
                Wait(store.CreateAsync(new NewExecution(id, BenchFunctionNames.NoOp, null, ExecutionStatus.Enqueued, new JsonObject(), null, at)));
                Wait(store.ApplyAsync(new StatusChange(id, BenchFunctionNames.NoOp, ExecutionStatus.Processing, at.AddMicroseconds(1))));
            }

            if (parts.HasFlag(Parts.Read))
            {
                var row = store.GetAsync(id).GetAwaiter().GetResult() ?? throw new InvalidOperationException($"Row '{id}' was not written.");
            }

            if (parts.HasFlag(Parts.Writes) && !Wait(store.ApplyAsync(new StatusChange(id, BenchFunctionNames.NoOp, ExecutionStatus.Succeeded, at.AddMicroseconds(2)))))
            {
                throw new InvalidOperationException($"The Succeeded write of '{id}' was not applied.");
            }
        });
        return ProcessCost.Now().PerItemSince(cost, count);
    }

    /// <summary>SQLite commits so far, where the host counts them.</summary>
    private static async Task<long?> CommitsAsync(PlatformHost host)
    {
        var index = host.Work?.Names.ToList().IndexOf("SQLite commits") ?? -1;
        return index < 0 ? null : (await host.Work!.ReadAsync().ConfigureAwait(false))[index];
    }

    /// <summary>The 1-minute load average of the machine (Linux), for the log line.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "-";

    /// <summary>
    /// The floor under the results table on SQLite: the status upsert an execution makes three
    /// times, each in a transaction of its own, on one connection from one thread, with the
    /// statement compiled once. No thread hand-off, no Dapper, no JSON: only SQLite's work.
    /// </summary>
    private static double[] MeasureCommits(SqlDialect dialect, int count)
    {
        using var connection = (SqliteConnection)dialect.CreateConnection();
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        command.CommandText = dialect.ApplySql;
        var names = new[] { "Id", "Function", "Status", "Phase", "At", "Output", "ErrorType", "ErrorMessage", "ErrorCode", "ErrorData", "Attempt", "StartedAt", "CompletedAt" };
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter("@" + name, DBNull.Value));
        }

        var statuses = new[] { ExecutionStatus.Enqueued, ExecutionStatus.Processing, ExecutionStatus.Succeeded };
        var at = dialect.ToDb(DateTimeOffset.UtcNow) is long micros ? micros : 0;
        var cost = ProcessCost.Now();
        for (var i = 0; i < count; i++)
        {
            var id = "commit-" + i.ToString(CultureInfo.InvariantCulture);
            for (var s = 0; s < statuses.Length; s++)
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                command.Transaction = transaction;
                command.Parameters["@Id"].Value = id;
                command.Parameters["@Function"].Value = BenchFunctionNames.NoOp;
                command.Parameters["@Status"].Value = statuses[s].ToString();
                command.Parameters["@Phase"].Value = statuses[s].Phase();
                command.Parameters["@At"].Value = at + s;
                command.Parameters["@Attempt"].Value = statuses[s] == ExecutionStatus.Processing ? 1 : 0;
                command.Parameters["@StartedAt"].Value = statuses[s] == ExecutionStatus.Processing ? at + s : DBNull.Value;
                command.Parameters["@CompletedAt"].Value = statuses[s].IsTerminal() ? at + s : DBNull.Value;
                command.ExecuteNonQuery();
                transaction.Commit();
            }
        }

        return ProcessCost.Now().PerItemSince(cost, count);
    }

    /// <summary>Waits as the platform's state filter waits for its writes: on the task's handle, without spinning.</summary>
    private static T Wait<T>(Task<T> task)
    {
        Wait((Task)task);
        return task.Result;
    }

    private static void Wait(Task task)
    {
        if (!task.IsCompleted)
        {
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
        }

        task.GetAwaiter().GetResult();
    }
}
