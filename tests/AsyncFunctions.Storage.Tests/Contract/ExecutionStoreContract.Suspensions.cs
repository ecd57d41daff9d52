using System.Text.Json.Nodes;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>The suspension half of the contract: checkpoints, waits, resumes and the sweep's queries.</summary>
public abstract partial class ExecutionStoreContract
{
    [SkippableFact]
    public async Task A_suspension_shows_on_the_record_and_a_resume_is_counted_without_counting_an_attempt()
    {
        var store = Store;
        var (parent, children) = await SuspendedParentAsync(store, childCount: 2);

        var record = (await store.GetAsync(parent))!;
        Assert.Equal(ExecutionStatus.Awaiting, record.Status);
        Assert.Equal(children, record.WaitingFor);
        Assert.Equal(T0.AddSeconds(2), record.AwaitingSince);
        Assert.Equal(T0.AddHours(1), record.WakeAt);
        Assert.True(record.HasCheckpoint);
        Assert.Equal(1, record.Attempts);
        Assert.Equal(0, record.Resumes);

        // The resume (Awaiting -> Enqueued) and the start of the resumed run.
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Enqueued, T0.AddSeconds(3))));
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Processing, T0.AddSeconds(4))));
        Assert.Equal("""{"at":"await"}""", await store.LoadCheckpointAsync(parent));

        record = (await store.GetAsync(parent))!;
        Assert.Equal(ExecutionStatus.Processing, record.Status);
        Assert.Null(record.WaitingFor);
        Assert.Equal(1, record.Attempts);
        Assert.Equal(1, record.Resumes);

        // A retried attempt after that counts again.
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Scheduled, T0.AddSeconds(5))));
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Enqueued, T0.AddSeconds(6))));
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Processing, T0.AddSeconds(7))));
        Assert.Equal(2, (await store.GetAsync(parent))!.Attempts);

        // Finished, the checkpoint is gone.
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Succeeded, T0.AddSeconds(8))));
        record = (await store.GetAsync(parent))!;
        Assert.False(record.HasCheckpoint);
        Assert.Null(await store.LoadCheckpointAsync(parent));
    }

    [SkippableFact]
    public async Task A_resumed_run_keeps_the_start_time_of_its_attempt_and_a_new_attempt_moves_it()
    {
        var store = Store;
        var (parent, _) = await SuspendedParentAsync(store, childCount: 1);

        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Enqueued, T0.AddSeconds(3))));
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Processing, T0.AddSeconds(4))));
        var resumed = (await store.GetAsync(parent))!;
        Assert.Equal((T0.AddSeconds(1), 1, 1), (resumed.StartedAt, resumed.Attempts, resumed.Resumes));
        Assert.Equal(T0.AddSeconds(4), resumed.ResumedAt);

        // A retried attempt is a new start.
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Scheduled, T0.AddSeconds(5))));
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Enqueued, T0.AddSeconds(6))));
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Processing, T0.AddSeconds(7))));
        var retried = (await store.GetAsync(parent))!;
        Assert.Equal((T0.AddSeconds(7), 2, T0.AddSeconds(4)), (retried.StartedAt, retried.Attempts, retried.ResumedAt));
    }

    [SkippableFact]
    public async Task A_waiter_is_ready_once_every_id_it_awaits_finished()
    {
        var store = Store;
        var (parent, children) = await SuspendedParentAsync(store, childCount: 3);

        await FinishAsync(store, children[0]);
        Assert.Empty(await store.ListReadyWaitersAsync([children[0]]));
        await FinishAsync(store, children[1]);
        Assert.Empty(await store.ListReadyWaitersAsync([children[0], children[1]]));
        Assert.DoesNotContain(parent, await store.ListDueSuspensionsAsync(T0.AddMinutes(1), 1000));

        await FinishAsync(store, children[2]);
        Assert.Equal([parent], await NewNode().ListReadyWaitersAsync([children[2]]));
        Assert.Contains(parent, await store.ListDueSuspensionsAsync(T0.AddMinutes(1), 1000));

        // Resumed, its waits are dropped: a repeated notice finds nobody to resume.
        await store.LoadCheckpointAsync(parent);
        Assert.Empty(await store.ListReadyWaitersAsync([children[2]]));
    }

    [SkippableFact]
    public async Task A_suspension_is_due_when_its_deadline_passed_and_a_cancelled_one_is_never_due()
    {
        var store = Store;
        var (parent, children) = await SuspendedParentAsync(store, childCount: 1);

        Assert.DoesNotContain(parent, await store.ListDueSuspensionsAsync(T0.AddMinutes(59), 1000));
        Assert.Contains(parent, await store.ListDueSuspensionsAsync(T0.AddHours(1), 1000));

        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Cancelled, T0.AddSeconds(9))));
        Assert.DoesNotContain(parent, await store.ListDueSuspensionsAsync(T0.AddHours(2), 1000));
        Assert.Null((await store.GetAsync(parent))!.WaitingFor);
        await FinishAsync(store, children[0]);
        Assert.Empty(await store.ListReadyWaitersAsync(children));
    }

    [SkippableFact]
    public async Task A_waiter_still_committing_its_suspension_is_ready_too()
    {
        var store = Store;
        var parent = NewId();
        var child = NewId();
        await store.CreateAsync(new NewExecution(parent, "contract.parent", null, ExecutionStatus.Enqueued, new JsonObject(), null, T0));
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Processing, T0.AddSeconds(1))));
        await store.CreateAsync(new NewExecution(child, "contract.child", null, ExecutionStatus.Enqueued, new JsonObject(), parent, T0, 1, RootId: parent));
        await store.SuspendAsync(parent, new Suspension("{}", [child], T0.AddHours(1)), T0.AddSeconds(2));

        await FinishAsync(store, child);

        // Its status is still Processing: the child's node resumes it once the suspension commits.
        Assert.Equal([parent], await store.ListReadyWaitersAsync([child]));
    }

    [SkippableFact]
    public async Task A_sleep_is_left_to_its_scheduled_job_and_a_new_suspension_replaces_the_waits()
    {
        var store = Store;
        var (parent, children) = await SuspendedParentAsync(store, childCount: 1);
        await store.SuspendAsync(parent, new Suspension("""{"at":"sleep"}""", [], T0.AddMinutes(5)), T0.AddSeconds(2));

        await FinishAsync(store, children[0]);
        Assert.Empty(await store.ListReadyWaitersAsync([children[0]]));
        Assert.DoesNotContain(parent, await store.ListDueSuspensionsAsync(T0.AddHours(2), 1000));
        Assert.Equal([], (await store.GetAsync(parent))!.WaitingFor);
    }

    private static async Task<(string Parent, string[] Children)> SuspendedParentAsync(IExecutionStore store, int childCount)
    {
        var parent = NewId();
        await store.CreateAsync(new NewExecution(parent, "contract.parent", null, ExecutionStatus.Enqueued, new JsonObject(), null, T0));
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Processing, T0.AddSeconds(1))));
        var children = new string[childCount];
        for (var i = 0; i < childCount; i++)
        {
            children[i] = NewId();
            await store.CreateAsync(new NewExecution(children[i], "contract.child", null, ExecutionStatus.Enqueued, new JsonObject(), parent, T0, 1, RootId: parent));
        }

        await store.SuspendAsync(parent, new Suspension("""{"at":"await"}""", children, T0.AddHours(1)), T0.AddSeconds(2));
        Assert.True(await store.ApplyAsync(new StatusChange(parent, "contract.parent", ExecutionStatus.Awaiting, T0.AddSeconds(2))));
        return (parent, children);
    }

    private static Task<bool> FinishAsync(IExecutionStore store, string id) =>
        store.ApplyAsync(new StatusChange(id, "contract.child", ExecutionStatus.Succeeded, T0.AddSeconds(3)) { Output = 1 });
}
