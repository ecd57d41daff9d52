using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>
/// The await rule, case by case: each store's queries for waiters (SQL in the dialects) must agree
/// with <see cref="AwaitRules.NothingLeftToAwait"/> (C#) on every combination of awaited states.
/// </summary>
public abstract partial class ExecutionStoreContract
{
    [SkippableFact]
    public async Task A_waiter_is_ready_and_due_exactly_when_the_await_rule_says_nothing_is_left_to_await()
    {
        // Each pair of awaited executions, each in every status or never recorded (null).
        var store = Store;
        var states = Enum.GetValues<ExecutionStatus>().Select(s => (ExecutionStatus?)s).Append(null).ToArray();
        var cases =
            from first in states
            from second in states
            select (first, second);
        var mismatches = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, ct) =>
        {
            var parent = NewId();
            await store.CreateAsync(new NewExecution(parent, "contract.waiter", null, ExecutionStatus.Enqueued, new JsonObject(), null, T0), ct);
            Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.waiter", ExecutionStatus.Processing, T0.AddSeconds(1)), ct));
            var awaited = new[] { NewId(), NewId() };
            var known = new Dictionary<string, ExecutionResult>(StringComparer.Ordinal);
            foreach (var (id, status) in awaited.Zip([c.first, c.second]))
            {
                if (status is { } recorded)
                {
                    await store.CreateAsync(new NewExecution(id, "contract.awaited", null, ExecutionStatus.Enqueued, new JsonObject(), parent, T0, 1, RootId: parent), ct);
                    await store.ApplyAsync(new StatusChange(id, "contract.awaited", recorded, T0.AddSeconds(1)), ct);
                    known[id] = new ExecutionResult(id, recorded, null, null);
                }
            }

            await store.SuspendAsync(parent, new Suspension("{}", awaited, T0.AddHours(1)), T0.AddSeconds(2), ct);
            Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.waiter", ExecutionStatus.Awaiting, T0.AddSeconds(2)), ct));
            var expected = AwaitRules.NothingLeftToAwait(awaited, known);

            var ready = (await store.ListReadyWaitersAsync(awaited, ct)).Contains(parent);
            var due = (await store.ListDueSuspensionsAsync(T0.AddMinutes(1), 100_000, ct)).Contains(parent);

            if (ready != expected || due != expected)
            {
                mismatches.Add($"{c.first?.ToString() ?? "unknown"} and {c.second?.ToString() ?? "unknown"}: ready {ready}, due {due}, the rule says {expected}");
            }
        });

        Assert.True(mismatches.IsEmpty, string.Join(Environment.NewLine, mismatches.Order(StringComparer.Ordinal)));
    }
}
