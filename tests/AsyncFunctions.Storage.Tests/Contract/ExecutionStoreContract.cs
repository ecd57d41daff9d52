using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>
/// The results-table contract, written once and run against every store: each SQL provider on a
/// real database migrated with the scripts that ship (<see cref="SqlExecutionStoreContract"/>),
/// and the in-memory store whose status rule is <see cref="ExecutionStatusRules.Supersedes"/>, so
/// the rule in C# and the rule in each dialect's SQL must pass the same tests: the status rule's
/// against a table written by hand (<see cref="StatusRuleTable"/>), not against the C# rule itself.
/// </summary>
public abstract partial class ExecutionStoreContract
{
    // Microseconds are the finest unit every database keeps; the store rounds to them.
    protected static readonly DateTimeOffset T0 = new(DateTimeOffset.UtcNow.UtcTicks / 10 * 10, TimeSpan.Zero);

    /// <summary>The store under test; every call returns a store over the same database.</summary>
    protected abstract IExecutionStore Store { get; }

    /// <summary>A store of another node over the same database (its own connections, its own writer).</summary>
    protected abstract IExecutionStore NewNode();

    [SkippableFact]
    public async Task Every_write_is_applied_exactly_when_the_status_rule_says_it_supersedes()
    {
        // Each stored status against each incoming one, earlier, at the same moment and later
        // (by a second and by the one microsecond every store keeps).
        var store = Store;
        var offsets = new[] { -TimeSpan.FromSeconds(1), -TimeSpan.FromMicroseconds(1), TimeSpan.Zero, TimeSpan.FromMicroseconds(1), TimeSpan.FromSeconds(1) };
        var cases =
            from stored in Enum.GetValues<ExecutionStatus>()
            from incoming in Enum.GetValues<ExecutionStatus>()
            from offset in offsets
            select (stored, incoming, offset);
        var storedAt = T0.AddMinutes(1);
        var mismatches = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, ct) =>
        {
            var id = NewId();
            await store.CreateAsync(new NewExecution(id, "contract.rule", null, ExecutionStatus.Enqueued, new JsonObject(), null, T0), ct);
            Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.rule", c.stored, storedAt), ct));
            var incomingAt = storedAt + c.offset;
            var expected = StatusRuleTable.Expected(c.stored, c.incoming, c.offset);

            var applied = await store.ApplyAsync(new StatusChange(id, "contract.rule", c.incoming, incomingAt), ct);

            var now = (await store.GetAsync(id, ct))!.Status;
            if (applied != expected || now != (expected ? c.incoming : c.stored))
            {
                mismatches.Add($"{c.stored}, then {c.incoming} {c.offset.TotalMicroseconds:+0;-0;0} us: applied {applied}, the rule says {expected}, stored now {now}");
            }
        });

        Assert.True(mismatches.IsEmpty, string.Join(Environment.NewLine, mismatches.Order(StringComparer.Ordinal)));
    }

    [SkippableFact]
    public async Task Create_then_get_round_trips_every_field_and_keeps_json_exactly()
    {
        var store = Store;
        var input = (JsonObject)JsonNode.Parse("""{"zeta":1,"alpha":[1,2.50,{"y":"é ü 日本 🚀","b":null}],"mid":{"k2":true,"k1":false}}""")!;
        var id = NewId();
        await store.CreateAsync(new NewExecution(id, "contract.echo", 3, ExecutionStatus.Enqueued, input, "parent-" + id, T0, CallDepth: 2, RootId: "root-" + id));

        var record = await store.GetAsync(id);

        Assert.NotNull(record);
        Assert.Equal(id, record.Id);
        Assert.Equal("contract.echo", record.Function);
        Assert.Equal(3, record.FunctionVersion);
        Assert.Equal(ExecutionStatus.Enqueued, record.Status);
        Assert.Equal(input.ToJsonString(), record.Input!.ToJsonString());
        Assert.Equal("é ü 日本 🚀", record.Input["alpha"]![2]!["y"]!.GetValue<string>());
        Assert.Equal("parent-" + id, record.ParentId);
        Assert.Equal("root-" + id, record.RootId);
        Assert.Equal(2, record.CallDepth);
        Assert.Null(record.Caller);
        Assert.Equal(0, record.Attempts);
        Assert.Equal(T0, record.CreatedAt);
        Assert.Null(record.StartedAt);
        Assert.Null(record.ResumedAt);
        Assert.Null(record.CompletedAt);
        Assert.Null(record.Output);
        Assert.Null(record.Error);
    }

    [SkippableFact]
    public async Task A_cursor_the_store_did_not_issue_is_an_invalid_cursor()
    {
        var store = Store;

        await Assert.ThrowsAsync<InvalidCursorException>(() => store.ListAsync(new ExecutionQuery(Cursor: "not-a-cursor!")));
    }

    [SkippableFact]
    public async Task A_tree_counts_concurrent_starts_up_to_its_limit_and_no_further()
    {
        var store = Store;
        var root = NewId();
        await store.CreateAsync(new NewExecution(root, "contract.tree", null, ExecutionStatus.Enqueued, new JsonObject(), null, T0));

        var counted = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => store.TryCountTreeStartAsync(root, 25)));

        Assert.Equal(25, counted.Count(c => c));
        Assert.False(await store.TryCountTreeStartAsync(root, 25));
        Assert.True(await store.TryCountTreeStartAsync(root, 26));
        Assert.False(await store.TryCountTreeStartAsync(NewId(), 25));
    }

    [SkippableFact]
    public async Task A_tree_counts_a_batch_of_starts_all_or_none()
    {
        var store = Store;
        var root = NewId();
        await store.CreateAsync(new NewExecution(root, "contract.tree", null, ExecutionStatus.Enqueued, new JsonObject(), null, T0));

        Assert.True(await store.TryCountTreeStartsAsync(root, 20, 25));
        Assert.False(await store.TryCountTreeStartsAsync(root, 6, 25));
        Assert.True(await store.TryCountTreeStartsAsync(root, 5, 25));
        Assert.False(await store.TryCountTreeStartAsync(root, 25));

        var other = NewId();
        await store.CreateAsync(new NewExecution(other, "contract.tree", null, ExecutionStatus.Enqueued, new JsonObject(), null, T0));
        var counted = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => store.TryCountTreeStartsAsync(other, 4, 25)));
        Assert.Equal(6, counted.Count(c => c));
        Assert.True(await store.TryCountTreeStartAsync(other, 25));
    }

    [SkippableFact]
    public async Task Outputs_and_errors_keep_key_order_and_unicode()
    {
        var store = Store;
        var (ok, failed) = (NewId(), NewId());
        await CreateAsync(store, ok);
        await CreateAsync(store, failed);
        var output = JsonNode.Parse("""{"z":"last first","a":[3,2,1],"ñ":{"b":1,"a":2}}""");
        var data = JsonNode.Parse("""{"field":"名前","reasons":["x","y"]}""");

        await store.ApplyAsync(new StatusChange(ok, "contract.fn", ExecutionStatus.Succeeded, T0.AddSeconds(1)) { Output = output });
        await store.ApplyAsync(new StatusChange(failed, "contract.fn", ExecutionStatus.Failed, T0.AddSeconds(1))
        {
            Error = new ExecutionError("InvalidOperationException", "Nope: ö", "function.error", data),
        });

        var results = await store.GetResultsAsync([ok, failed]);
        Assert.Equal(output!.ToJsonString(), results[ok].Output!.ToJsonString());
        var error = results[failed].Error!;
        Assert.Equal(("InvalidOperationException", "Nope: ö", "function.error"), (error.Type, error.Message, error.Code));
        Assert.Equal(data!.ToJsonString(), error.Data!.ToJsonString());
    }

    [SkippableFact]
    public async Task Status_moves_through_processing_to_succeeded_with_timestamps()
    {
        var store = Store;
        var id = NewId();
        await CreateAsync(store, id);

        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Processing, T0.AddSeconds(1))));
        var running = await store.GetAsync(id);
        Assert.Equal((ExecutionStatus.Processing, 1, T0.AddSeconds(1)), (running!.Status, running.Attempts, running.StartedAt));
        Assert.Null(running.CompletedAt);

        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Succeeded, T0.AddSeconds(2)) { Output = JsonValue.Create(42) }));
        var done = await store.GetAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, done!.Status);
        Assert.Equal(1, done.Attempts);
        Assert.Equal(T0.AddSeconds(1), done.StartedAt);
        Assert.Equal(T0.AddSeconds(2), done.CompletedAt);
        Assert.Equal(42, done.Output!.GetValue<int>());
    }

    [SkippableFact]
    public async Task A_first_start_is_written_only_while_the_execution_has_never_started()
    {
        var store = Store;
        var id = NewId();
        await CreateAsync(store, id);

        // Never started: written as Processing would be.
        Assert.True(await store.ApplyFirstStartAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Processing, T0.AddSeconds(1))));
        var running = await store.GetAsync(id);
        Assert.Equal((ExecutionStatus.Processing, 1, T0.AddSeconds(1)), (running!.Status, running.Attempts, running.StartedAt));

        // A second attempt is no first start: nothing is written, and the plain write still is.
        await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Scheduled, T0.AddSeconds(2)));
        await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Enqueued, T0.AddSeconds(3)));
        Assert.False(await store.ApplyFirstStartAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Processing, T0.AddSeconds(4))));
        Assert.Equal((ExecutionStatus.Enqueued, 1), ((await store.GetAsync(id))!.Status, (await store.GetAsync(id))!.Attempts));
        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Processing, T0.AddSeconds(4))));
        Assert.Equal(2, (await store.GetAsync(id))!.Attempts);

        // The same first start made twice: the repeat is not written again.
        var other = NewId();
        await CreateAsync(store, other);
        Assert.True(await store.ApplyFirstStartAsync(new StatusChange(other, "contract.fn", ExecutionStatus.Processing, T0.AddSeconds(1))));
        Assert.False(await store.ApplyFirstStartAsync(new StatusChange(other, "contract.fn", ExecutionStatus.Processing, T0.AddSeconds(5))));
        Assert.Equal((1, T0.AddSeconds(1)), ((await store.GetAsync(other))!.Attempts, (await store.GetAsync(other))!.StartedAt));
    }

    [SkippableFact]
    public async Task A_late_enqueued_never_overwrites_succeeded()
    {
        var store = Store;
        var id = NewId();
        await CreateAsync(store, id);
        await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Processing, T0.AddSeconds(1)));
        await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Succeeded, T0.AddSeconds(3)) { Output = JsonValue.Create("done") });

        var applied = await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Enqueued, T0.AddSeconds(2)));

        Assert.False(applied);
        var record = await store.GetAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, record!.Status);
        Assert.Equal("done", record.Output!.GetValue<string>());
    }

    [SkippableFact]
    public async Task At_equal_times_the_later_phase_wins()
    {
        var store = Store;
        var id = NewId();
        var at = T0.AddSeconds(5);
        await CreateAsync(store, id);

        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Processing, at)));
        Assert.False(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Enqueued, at)));
        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Succeeded, at)));
        Assert.False(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Processing, at)));
        Assert.False(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Failed, at)));

        Assert.Equal(ExecutionStatus.Succeeded, (await store.GetAsync(id))!.Status);
    }

    [SkippableFact]
    public async Task A_requeue_with_a_later_time_replaces_a_finished_status()
    {
        var store = Store;
        var id = NewId();
        await CreateAsync(store, id);
        await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Processing, T0.AddSeconds(1)));
        await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Failed, T0.AddSeconds(2))
        {
            Error = new ExecutionError("Boom", "first attempt", "function.error"),
        });

        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Enqueued, T0.AddSeconds(3))));
        var requeued = await store.GetAsync(id);
        Assert.Equal(ExecutionStatus.Enqueued, requeued!.Status);
        Assert.Null(requeued.Error);
        Assert.Null(requeued.CompletedAt);

        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Processing, T0.AddSeconds(4))));
        var rerun = await store.GetAsync(id);
        Assert.Equal((ExecutionStatus.Processing, 2, T0.AddSeconds(4)), (rerun!.Status, rerun.Attempts, rerun.StartedAt));
    }

    [SkippableFact]
    public async Task Repeating_the_same_write_is_idempotent()
    {
        var store = Store;
        var id = NewId();
        await CreateAsync(store, id);
        var processing = new StatusChange(id, "contract.fn", ExecutionStatus.Processing, T0.AddSeconds(1));

        Assert.True(await store.ApplyAsync(processing));
        Assert.False(await store.ApplyAsync(processing));
        var succeeded = new StatusChange(id, "contract.fn", ExecutionStatus.Succeeded, T0.AddSeconds(2)) { Output = JsonValue.Create(1) };
        Assert.True(await store.ApplyAsync(succeeded));
        Assert.False(await store.ApplyAsync(succeeded));

        var record = await store.GetAsync(id);
        Assert.Equal((ExecutionStatus.Succeeded, 1), (record!.Status, record.Attempts));
    }

    [SkippableFact]
    public async Task A_status_change_before_create_leaves_a_placeholder_that_create_completes()
    {
        var store = Store;
        var id = NewId();
        var input = new JsonObject { ["b"] = 2, ["a"] = 1 };

        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.placeholder", ExecutionStatus.Processing, T0.AddSeconds(2))));
        var placeholder = await store.GetAsync(id);
        Assert.Equal((ExecutionStatus.Processing, "contract.placeholder", 1), (placeholder!.Status, placeholder.Function, placeholder.Attempts));
        Assert.Null(placeholder.Input);
        Assert.Equal(T0.AddSeconds(2), placeholder.CreatedAt);

        await store.CreateAsync(new NewExecution(id, "contract.placeholder", 7, ExecutionStatus.Enqueued, input, "p-" + id, T0.AddSeconds(1), CallDepth: 1));
        var completed = await store.GetAsync(id);
        Assert.Equal(ExecutionStatus.Processing, completed!.Status);
        Assert.Equal(1, completed.Attempts);
        Assert.Equal(input.ToJsonString(), completed.Input!.ToJsonString());
        Assert.Equal((7, "p-" + id, 1), (completed.FunctionVersion, completed.ParentId, completed.CallDepth));
        Assert.Equal(T0.AddSeconds(1), completed.CreatedAt);

        // A repeated create does not replace the input a first one wrote.
        await store.CreateAsync(new NewExecution(id, "contract.placeholder", 8, ExecutionStatus.Enqueued, new JsonObject { ["other"] = true }, null, T0, CallDepth: 0));
        var again = await store.GetAsync(id);
        Assert.Equal(input.ToJsonString(), again!.Input!.ToJsonString());
        Assert.Equal(7, again.FunctionVersion);
    }

    [SkippableFact]
    public async Task List_pages_newest_first_with_cursors()
    {
        var store = Store;
        var function = "contract.page." + NewId();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var id = NewId();
            ids.Add(id);
            await store.CreateAsync(new NewExecution(id, function, null, ExecutionStatus.Enqueued, new JsonObject { ["i"] = i }, null, T0.AddSeconds(i)));
        }

        var seen = new List<string>();
        var sizes = new List<int>();
        string? cursor = null;
        do
        {
            var page = await store.ListAsync(new ExecutionQuery(Function: function, Limit: 3, Cursor: cursor));
            seen.AddRange(page.Items.Select(r => r.Id));
            sizes.Add(page.Items.Count);
            cursor = page.NextCursor;
        }
        while (cursor is not null && sizes.Count < 10);

        // Full pages while more follow, then the rest; no empty last page.
        Assert.Equal([3, 3, 1], sizes);
        ids.Reverse();
        Assert.Equal(ids, seen);
    }

    [SkippableFact]
    public async Task List_filters_by_function_status_and_parent()
    {
        var store = Store;
        var parent = NewId();
        var function = "contract.filter." + parent;
        await store.CreateAsync(new NewExecution(parent, function, null, ExecutionStatus.Enqueued, new JsonObject(), null, T0));
        var children = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var child = NewId();
            children.Add(child);
            await store.CreateAsync(new NewExecution(child, function + ".child", null, ExecutionStatus.Enqueued, new JsonObject(), parent, T0.AddSeconds(i + 1), CallDepth: 1));
        }

        await store.ApplyAsync(new StatusChange(children[1], function + ".child", ExecutionStatus.Succeeded, T0.AddSeconds(10)));

        var byParent = await store.ListAsync(new ExecutionQuery(ParentId: parent));
        Assert.Equal(children.AsEnumerable().Reverse(), byParent.Items.Select(r => r.Id));
        Assert.Null(byParent.NextCursor);

        var succeededChildren = await store.ListAsync(new ExecutionQuery(ParentId: parent, Status: ExecutionStatus.Succeeded));
        Assert.Equal([children[1]], succeededChildren.Items.Select(r => r.Id));

        var parentOnly = await store.ListAsync(new ExecutionQuery(Function: function));
        Assert.Equal([parent], parentOnly.Items.Select(r => r.Id));

        var enqueuedChildren = await store.ListAsync(new ExecutionQuery(Function: function + ".child", Status: ExecutionStatus.Enqueued));
        Assert.Equal([children[2], children[0]], enqueuedChildren.Items.Select(r => r.Id));
    }

    [SkippableFact]
    public async Task List_filters_by_error_code_and_created_time_range()
    {
        var store = Store;
        var function = "contract.errors." + NewId();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var id = NewId();
            ids.Add(id);
            await store.CreateAsync(new NewExecution(id, function, null, ExecutionStatus.Enqueued, new JsonObject(), null, T0.AddSeconds(i)));
        }

        var error = new ExecutionError("FunctionException", "boom", "contract.boom");
        await store.ApplyAsync(new StatusChange(ids[1], function, ExecutionStatus.Failed, T0.AddSeconds(10)) { Error = error });
        await store.ApplyAsync(new StatusChange(ids[3], function, ExecutionStatus.Failed, T0.AddSeconds(10)) { Error = error });
        await store.ApplyAsync(new StatusChange(ids[2], function, ExecutionStatus.Failed, T0.AddSeconds(10)) { Error = error with { Code = "contract.other" } });

        var byCode = await store.ListAsync(new ExecutionQuery(Function: function) { ErrorCode = "contract.boom" });
        Assert.Equal([ids[3], ids[1]], byCode.Items.Select(r => r.Id));

        // From is inclusive, before is exclusive, to the microsecond.
        var inRange = await store.ListAsync(new ExecutionQuery(Function: function) { CreatedFrom = T0.AddSeconds(1), CreatedBefore = T0.AddSeconds(3) });
        Assert.Equal([ids[2], ids[1]], inRange.Items.Select(r => r.Id));

        var justAfterFirst = await store.ListAsync(new ExecutionQuery(Function: function) { CreatedFrom = T0.AddTicks(10), CreatedBefore = T0.AddSeconds(1).AddTicks(10) });
        Assert.Equal([ids[1]], justAfterFirst.Items.Select(r => r.Id));

        var both = await store.ListAsync(new ExecutionQuery(Function: function) { ErrorCode = "contract.boom", CreatedBefore = T0.AddSeconds(2) });
        Assert.Equal([ids[1]], both.Items.Select(r => r.Id));
    }

    [SkippableFact]
    public async Task The_caller_is_kept_listed_by_and_answered_for_each_id()
    {
        var store = Store;
        var key = "key-" + NewId();
        var mine = NewId();
        var child = NewId();
        var theirs = NewId();
        var unknown = NewId();
        await store.CreateAsync(new NewExecution(mine, "contract.caller", null, ExecutionStatus.Enqueued, new JsonObject(), null, T0) { Caller = new ExecutionCaller(key, "invoker") });
        await store.CreateAsync(new NewExecution(child, "contract.caller", null, ExecutionStatus.Enqueued, new JsonObject(), mine, T0.AddSeconds(1), CallDepth: 1, RootId: mine) { Caller = new ExecutionCaller(key, "invoker") });
        await store.CreateAsync(new NewExecution(theirs, "contract.caller", null, ExecutionStatus.Enqueued, new JsonObject(), null, T0.AddSeconds(2)));

        Assert.Equal(new ExecutionCaller(key, "invoker"), (await store.GetAsync(child))!.Caller);
        Assert.Null((await store.GetAsync(theirs))!.Caller);

        var listed = await store.ListAsync(new ExecutionQuery(CallerKey: key));
        Assert.Equal([child, mine], listed.Items.Select(r => r.Id));
        Assert.Equal(new ExecutionCaller(key, "invoker"), listed.Items[0].Caller);

        var keys = await store.GetCallerKeysAsync([mine, theirs, unknown, mine]);
        Assert.Equal(2, keys.Count);
        Assert.Equal(key, keys[mine]);
        Assert.Null(keys[theirs]);
        Assert.False(keys.ContainsKey(unknown));
    }

    [SkippableFact]
    public async Task Fail_unfinished_ends_only_executions_that_are_not_terminal()
    {
        var store = Store;
        var (queued, running, done) = (NewId(), NewId(), NewId());
        foreach (var id in new[] { queued, running, done })
        {
            await CreateAsync(store, id);
        }

        await store.ApplyAsync(new StatusChange(running, "contract.fn", ExecutionStatus.Processing, T0.AddSeconds(1)));
        await store.ApplyAsync(new StatusChange(done, "contract.fn", ExecutionStatus.Succeeded, T0.AddSeconds(1)) { Output = JsonValue.Create(true) });

        var ended = await store.FailUnfinishedAsync(new ExecutionError("ProcessRestarted", "gone", ExecutionErrorCodes.Lost), T0.AddSeconds(5));

        Assert.True(ended >= 2, $"ended {ended}");
        var results = await store.GetResultsAsync([queued, running, done]);
        Assert.Equal(ExecutionStatus.Failed, results[queued].Status);
        Assert.Equal(ExecutionErrorCodes.Lost, results[queued].Error!.Code);
        Assert.Equal(ExecutionStatus.Failed, results[running].Status);
        Assert.Equal(ExecutionStatus.Succeeded, results[done].Status);
        Assert.Equal(T0.AddSeconds(5), (await store.GetAsync(running))!.CompletedAt);

        // Tests of a class run one after another, so nothing unfinished is left for a second call.
        Assert.Equal(0, await store.FailUnfinishedAsync(new ExecutionError("ProcessRestarted", "gone", ExecutionErrorCodes.Lost), T0.AddSeconds(6)));
    }

    [SkippableFact]
    public async Task Concurrent_writers_of_one_attempt_leave_its_verdict()
    {
        // Several "nodes" (independent stores over one database) race shuffled, repeated writes of one attempt
        // (Enqueued, Processing, then Succeeded or Failed), the very first write of each id
        // included, so inserts race inserts as well as updates. In any order the verdict stands.
        var stores = Enumerable.Range(0, 4).Select(_ => NewNode()).ToArray();
        var ids = Enumerable.Range(0, 12).Select(_ => NewId()).ToArray();
        var random = new Random(1234);
        var changes = ids
            .SelectMany((id, k) => new[]
            {
                new StatusChange(id, "contract.race", ExecutionStatus.Enqueued, T0),
                new StatusChange(id, "contract.race", ExecutionStatus.Processing, T0.AddMilliseconds(10)),
                k % 2 == 0
                    ? new StatusChange(id, "contract.race", ExecutionStatus.Succeeded, T0.AddMilliseconds(20)) { Output = JsonValue.Create(id) }
                    : new StatusChange(id, "contract.race", ExecutionStatus.Failed, T0.AddMilliseconds(20)) { Error = new ExecutionError("Boom", id, "function.error") },
            })
            .SelectMany(change => new[] { change, change })
            .OrderBy(_ => random.Next())
            .ToArray();

        await Parallel.ForEachAsync(
            changes.Select((change, i) => (change, store: stores[i % stores.Length])),
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (work, ct) => await work.store.ApplyAsync(work.change, ct));
        await Task.WhenAll(ids.Select(id => stores[1].CreateAsync(new NewExecution(id, "contract.race", null, ExecutionStatus.Enqueued, new JsonObject(), null, T0))));

        var results = await stores[2].GetResultsAsync(ids);
        for (var k = 0; k < ids.Length; k++)
        {
            var result = results[ids[k]];
            Assert.Equal(k % 2 == 0 ? ExecutionStatus.Succeeded : ExecutionStatus.Failed, result.Status);
            Assert.Equal(k % 2 == 0 ? ids[k] : null, result.Output?.GetValue<string>());
            Assert.Equal(k % 2 == 0 ? null : ids[k], result.Error?.Message);
            Assert.NotNull((await stores[3].GetAsync(ids[k]))!.Input);
        }
    }

    [SkippableFact]
    public async Task Progress_is_recorded_when_the_worker_clock_is_behind()
    {
        var store = Store;
        var id = NewId();
        await store.CreateAsync(new NewExecution(id, "contract.fn", null, ExecutionStatus.Enqueued, new JsonObject(), null, T0.AddMilliseconds(30)));

        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Processing, T0.AddMilliseconds(5))));
        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Succeeded, T0.AddMilliseconds(7)) { Output = JsonValue.Create("on time") }));

        var record = await store.GetAsync(id);
        Assert.Equal((ExecutionStatus.Succeeded, "on time", 1), (record!.Status, record.Output!.GetValue<string>(), record.Attempts));
    }

    [SkippableFact]
    public async Task A_finished_status_is_final_until_a_requeue()
    {
        var store = Store;
        var id = NewId();
        await CreateAsync(store, id);
        await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Processing, T0.AddSeconds(1)));
        var lost = new ExecutionError("Lost", "the node stopped", "execution.lost");
        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Failed, T0.AddSeconds(2)) { Error = lost }));

        Assert.False(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Succeeded, T0.AddSeconds(3)) { Output = JsonValue.Create("late") }));
        Assert.False(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Cancelled, T0.AddSeconds(4))));
        var record = await store.GetAsync(id);
        Assert.Equal((ExecutionStatus.Failed, "execution.lost"), (record!.Status, record.Error!.Code));
        Assert.Null(record.Output);

        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Enqueued, T0.AddSeconds(5))));
    }

    [SkippableFact]
    public async Task Leases_expire_unless_renewed_and_only_unfinished_executions_count()
    {
        var store = Store;
        var (held, renewed, finished, job) = (NewId(), NewId(), NewId(), NewId());
        foreach (var id in new[] { held, renewed, finished })
        {
            await store.CreateAsync(new NewExecution(id, "contract.sync", null, ExecutionStatus.Enqueued, new JsonObject(), null, T0, LeaseExpiresAt: T0.AddSeconds(10)));
            await store.ApplyAsync(new StatusChange(id, "contract.sync", ExecutionStatus.Processing, T0));
        }

        await CreateAsync(store, job);
        await store.ApplyAsync(new StatusChange(finished, "contract.sync", ExecutionStatus.Succeeded, T0.AddSeconds(1)));
        await store.RenewLeasesAsync([renewed, finished], T0.AddSeconds(60));

        Assert.DoesNotContain(await store.ListExpiredLeasesAsync(T0.AddSeconds(9)), e => e.Id == held);
        var expired = (await store.ListExpiredLeasesAsync(T0.AddSeconds(11))).Where(e => e.Id == held || e.Id == renewed || e.Id == finished || e.Id == job).ToList();
        Assert.Equal([new LeasedExecution(held, "contract.sync")], expired);
        var later = (await store.ListExpiredLeasesAsync(T0.AddSeconds(61))).Select(e => e.Id).ToHashSet();
        Assert.Contains(renewed, later);
        Assert.DoesNotContain(finished, later);
        Assert.DoesNotContain(job, later);
    }

    protected static string NewId() => Guid.NewGuid().ToString("N");

    protected static Task CreateAsync(IExecutionStore store, string id) =>
        store.CreateAsync(new NewExecution(id, "contract.fn", null, ExecutionStatus.Enqueued, new JsonObject { ["x"] = 1 }, null, T0));
}
