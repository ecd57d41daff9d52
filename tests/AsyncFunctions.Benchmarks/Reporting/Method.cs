namespace AsyncFunctions.Benchmarks.Reporting;

/// <summary>How the figures were taken; printed at the end of every report.</summary>
public static class Method
{
    public const string Text = """
        ## Method

        - **Hosting.** Both sides run in this process through the generic host (`Host.CreateApplicationBuilder`),
          not through HTTP, so the figures measure the platform and not Kestrel or JSON over a socket. Ours is
          `services.AddAsyncFunctions(o => o.Use...(...).AddFunction<T>(...))` with its own hosted services
          (schema initializer, then the worker server). Raw Hangfire is a second host with `AddHangfire` and a
          `BackgroundJobServer` with the same options (worker count, queue, polling intervals, activator, serializer
          settings) on its own storage instance of the same kind and options. Every repetition starts a fresh host
          on a fresh database and stops it afterwards; ours and raw alternate, and which goes first alternates per
          repetition, so drift of the machine hits both alike. A warm-up pass runs every code path once first,
          then short burn-downs of both sides repeat until a round compiles fewer than 250 methods (at most
          6 rounds), so the JIT's background recompilation is not measured.
        - **Clock.** `Stopwatch.GetTimestamp()` everywhere; all timestamps are taken in this process.
        - **When a result is visible.** Ours: the host's `ICompletionPublisher` is a decorator in front of the
          awaiter. The state filter publishes a final state only after its upsert into the results table returned,
          so the timestamp taken there is the moment the result row (status Succeeded) became visible, taken
          without polling the database. Raw: a Hangfire `IApplyStateFilter` takes the timestamp when Succeeded is
          applied, the same point of Hangfire's state change. Both points come before Hangfire commits its own
          state transaction (which for the in-memory storage costs microseconds). After each run every id is
          checked: ours by one batched read of the results table (status must be Succeeded), raw by its recorded state.
        - **Burn-down.** N starts from the producer threads as fast as they return, with the workers running;
          enqueue rate = N / (last start returned - first start); completion rate = N / (last completion - first start).
        - **Open-loop latency.** Starts are issued on a fixed schedule from dedicated request threads, like the
          request threads of a web server; each start has a planned time and latency runs from the planned time
          (not the actual call) to the recorded completion, so a start delayed because every request thread was
          busy counts against latency (no coordinated omission). Both sides get the same offered rate, a fraction
          of our measured maximum, so the latencies compare at equal load. Percentiles are nearest-rank.
        - **Await wake-up.** Ten executions that sleep 20-38 ms are started, then `IExecutionService.AwaitAsync`
          is called on them at once. Wake-up = await returned - completion of the last of them: the timestamp the
          state filter's publish took (above) or, on PostgreSQL, the moment a separate listening connection of the
          benchmark received the NOTIFY that the result's commit sends, whichever came first. Samples whose executions finished before the await was called
          are discarded and counted. An await that still returns before that moment (its own notification or poll
          saw the committed row first) counts as 0 ms, and the report says how often that happened. Across nodes, the awaiting host has 0 workers and shares only the database
          with the worker host; both run in this process with separate service providers, so their timestamps compare.
        - **Fan-out and chain.** Makespan runs from the call that starts the parent to the parent's result row
          being visible. The fan-out function times its own start and await phases and returns them as output.
        - **Suspend + resume and the 2-worker fan-out.** Function stacks are saved into the host's definition
          store after it starts, as `PUT /api/functions` would (no function folder). The suspending and in-place
          hosts differ only in `AsyncFunctions:Execution:SuspendWaits`; each parent's record is read afterwards
          to check that it resumed exactly once (suspending) or never (in place). Start-to-result and makespan
          are taken as for the fan-out. Schedule polling keeps the server's default of 1 s.
        - **Database work.** Ours: the results-table dialect is wrapped to count the connections reads open and the
          write statements (on SQLite the group-commit writer batches several into one commit, which is not counted
          here); this adds two interlocked increments per call. On
          PostgreSQL: `pg_stat_database.xact_commit` of the benchmark database before and after, read after a
          pause that lets the server flush its statistics; it counts Hangfire's own commits too, and every
          autocommit statement (including the `DISCARD ALL` a pooled Npgsql connection runs when reused).
          Process costs (CPU time, bytes allocated, thread-pool work items, contended locks) are the whole
          process's, between the first start and the last completion, divided by N; only one side runs at a time.
        - **A shared machine.** Each scenario notes how much of the machine's CPU other processes used while it
          ran (from /proc/stat minus this process's own CPU time; a database server counts as another process).
          Ratios of ours to raw are more robust to that than absolute figures, because the two alternate.
        """;
}
