using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Storage;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Creating a job waits for the results-table insert inside Hangfire's synchronous client. That
/// wait must never hold a thread-pool thread: 200 concurrent starts that each held one starved
/// the pool the insert itself needed.
/// </summary>
public sealed class StartPathTests : IDisposable
{
    private readonly TestApp _app = new();
    private readonly ConcurrentQueue<(string Function, bool OnThreadPool)> _inserts = new();

    [Fact]
    public async Task Async_starts_from_the_api_and_from_a_running_stack_insert_their_rows_off_the_thread_pool()
    {
        using var app = _app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IExecutionStore>(sp => new InsertRecordingStore(new DapperExecutionStore(sp.GetRequiredService<SqlDialect>()), _inserts))));
        using var client = app.CreateClient();

        var starts = Enumerable.Range(0, 8).Select(async i =>
        {
            using var response = await client.PostAsync(
                new Uri("/api/functions/examples.start_upload_processing/executions", UriKind.Relative),
                new StringContent($$"""{ "input": { "uploadId": "u{{i}}", "rows": [1] } }""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        });
        var ids = await Task.WhenAll(starts);
        using var awaited = await client.PostAsync(
            new Uri("/api/executions/await", UriKind.Relative),
            new StringContent(new JsonObject { ["ids"] = new JsonArray([.. ids.Select(id => JsonValue.Create(id))]), ["timeoutSeconds"] = 60 }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var outcome = JsonNode.Parse(await awaited.Content.ReadAsStringAsync())!;
        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());

        // Each parent started its child from inside its job: both kinds of start are recorded.
        var inserts = _inserts.ToArray();
        Assert.Equal(8, inserts.Count(i => i.Function == "examples.start_upload_processing"));
        Assert.Equal(8, inserts.Count(i => i.Function == "examples.process_upload"));
        Assert.DoesNotContain(inserts, i => i.OnThreadPool);
    }

    [Fact]
    public async Task A_child_whose_job_cannot_be_created_fails_its_parent_with_the_cause_not_hangfires_wrapper()
    {
        using var app = _app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IExecutionStore>(sp => new InsertRecordingStore(new DapperExecutionStore(sp.GetRequiredService<SqlDialect>()), _inserts, refuse: "examples.process_upload"))));
        using var client = app.CreateClient();
        var (id, outcome) = await StartOneParentAndAwaitAsync(client);
        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());
        using var read = await client.GetAsync(new Uri($"/api/executions/{id}", UriKind.Relative));
        var record = JsonNode.Parse(await read.Content.ReadAsStringAsync())!;
        Assert.Equal("Failed", record["status"]!.GetValue<string>());
        Assert.Equal(RefusedRow, record["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_child_whose_row_write_fails_once_with_a_transient_error_is_created_on_the_next_try_and_its_parent_succeeds()
    {
        using var app = _app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IExecutionStore>(sp => new InsertRecordingStore(new DapperExecutionStore(sp.GetRequiredService<SqlDialect>()), _inserts, failOnce: "examples.process_upload"))));
        using var client = app.CreateClient();
        var (id, outcome) = await StartOneParentAndAwaitAsync(client);
        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());
        Assert.Equal("Succeeded", outcome["results"]![0]!["status"]!.GetValue<string>());
        using var children = await client.GetAsync(new Uri($"/api/executions?parentId={id}", UriKind.Relative));
        Assert.Single(JsonNode.Parse(await children.Content.ReadAsStringAsync())!["items"]!.AsArray());
    }

    /// <summary>Starts one upload-processing parent (it starts one child) and awaits it.</summary>
    private static async Task<(string Id, JsonNode Outcome)> StartOneParentAndAwaitAsync(HttpClient client)
    {
        using var response = await client.PostAsync(
            new Uri("/api/functions/examples.start_upload_processing/executions", UriKind.Relative),
            new StringContent("""{ "input": { "uploadId": "u1", "rows": [1] } }""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using var awaited = await client.PostAsync(
            new Uri("/api/executions/await", UriKind.Relative),
            new StringContent(new JsonObject { ["ids"] = new JsonArray(id), ["timeoutSeconds"] = 60 }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        return (id, JsonNode.Parse(await awaited.Content.ReadAsStringAsync())!);
    }

    private const string RefusedRow = "The results table refused the row of examples.process_upload.";

    public void Dispose() => _app.Dispose();

    /// <summary>The real store, noting on which kind of thread each async execution's row was inserted.</summary>
    private sealed class InsertRecordingStore(IExecutionStore inner, ConcurrentQueue<(string, bool)> inserts, string? refuse = null, string? failOnce = null) : IExecutionStore
    {
        private int _failed;

        public Task CreateAsync(NewExecution execution, CancellationToken cancellationToken = default)
        {
            if (execution.Function == refuse)
            {
                return Task.FromException(new InvalidOperationException(RefusedRow));
            }

            if (execution.Function == failOnce && Interlocked.Exchange(ref _failed, 1) == 0)
            {
                // What a deadlock victim or a dropped connection looks like to the caller: nothing written.
                return Task.FromException(new TimeoutException("The database did not answer in time."));
            }

            if (execution.LeaseExpiresAt is null)
            {
                inserts.Enqueue((execution.Function, Thread.CurrentThread.IsThreadPoolThread));
            }

            return inner.CreateAsync(execution, cancellationToken);
        }

        public Task<bool> TryCountTreeStartAsync(string rootId, int max, CancellationToken cancellationToken = default) =>
            inner.TryCountTreeStartAsync(rootId, max, cancellationToken);

        public Task<bool> TryCountTreeStartsAsync(string rootId, int count, int max, CancellationToken cancellationToken = default) =>
            inner.TryCountTreeStartsAsync(rootId, count, max, cancellationToken);

        public Task<bool> ApplyAsync(StatusChange change, CancellationToken cancellationToken = default) => inner.ApplyAsync(change, cancellationToken);

        public Task<ExecutionRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyDictionary<string, ExecutionResult>> GetResultsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
            inner.GetResultsAsync(ids, cancellationToken);

        public Task<ExecutionPage> ListAsync(ExecutionQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);

        public Task<int> FailUnfinishedAsync(ExecutionError error, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            inner.FailUnfinishedAsync(error, at, cancellationToken);

        public Task RenewLeasesAsync(IReadOnlyCollection<string> ids, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
            inner.RenewLeasesAsync(ids, expiresAt, cancellationToken);

        public Task<IReadOnlyList<LeasedExecution>> ListExpiredLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
            inner.ListExpiredLeasesAsync(now, cancellationToken);

        public Task SuspendAsync(string id, Suspension suspension, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            inner.SuspendAsync(id, suspension, at, cancellationToken);

        public Task<string?> LoadCheckpointAsync(string id, CancellationToken cancellationToken = default) => inner.LoadCheckpointAsync(id, cancellationToken);

        public Task<IReadOnlyList<string>> ListReadyWaitersAsync(IReadOnlyCollection<string> finishedIds, CancellationToken cancellationToken = default) =>
            inner.ListReadyWaitersAsync(finishedIds, cancellationToken);

        public Task<IReadOnlyList<string>> ListDueSuspensionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
            inner.ListDueSuspensionsAsync(now, limit, cancellationToken);

        public Task<bool> LinkRetryAsync(string retriedId, string retryId, CancellationToken cancellationToken = default) =>
            inner.LinkRetryAsync(retriedId, retryId, cancellationToken);

        public Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotentStart start, DateTimeOffset now, DateTimeOffset expiredBefore, CancellationToken cancellationToken = default) =>
            inner.ClaimIdempotencyKeyAsync(start, now, expiredBefore, cancellationToken);

        public Task SetIdempotencyExecutionAsync(string callerKey, string key, string executionId, CancellationToken cancellationToken = default) =>
            inner.SetIdempotencyExecutionAsync(callerKey, key, executionId, cancellationToken);

        public Task ReleaseIdempotencyKeyAsync(string callerKey, string key, CancellationToken cancellationToken = default) =>
            inner.ReleaseIdempotencyKeyAsync(callerKey, key, cancellationToken);

        public Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default) =>
            inner.PurgeIdempotencyKeysAsync(createdBefore, cancellationToken);

        public Task<int> PurgeFinishedAsync(DateTimeOffset completedBefore, int limit, CancellationToken cancellationToken = default) =>
            inner.PurgeFinishedAsync(completedBefore, limit, cancellationToken);

        public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
    }
}
