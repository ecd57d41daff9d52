using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using AsyncFunctions.Running;

namespace AsyncFunctions.FunctionStacks.Tests.Support;

/// <summary>
/// A small stand-in for the execution service: children run inline (started ones too, unless
/// held), and await answers from the recorded results.
/// </summary>
internal sealed class FakeExecutions : IExecutionService
{
    private readonly ConcurrentDictionary<string, Func<FunctionContext, CancellationToken, Task<JsonNode?>>> _functions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ExecutionRecord> _records = new(StringComparer.Ordinal);
    private int _next;

    public IServiceProvider Services { get; set; } = new EmptyServices();

    /// <summary>Functions whose async starts stay Enqueued until <see cref="Complete"/>.</summary>
    public HashSet<string> Held { get; } = new(StringComparer.Ordinal);

    public List<StartRequest> Started { get; } = [];

    public int AwaitCalls { get; private set; }

    public void Add(string name, Func<JsonNode?, JsonNode?> body) =>
        _functions[name] = (context, _) => Task.FromResult(body(context.Input));

    public void Add(string name, Func<FunctionContext, CancellationToken, Task<JsonNode?>> body) => _functions[name] = body;

    public ExecutionRecord Get(string id) => _records[id];

    public void Complete(string id, JsonNode? output = null, ExecutionError? error = null) =>
        _records[id] = _records[id] with { Status = error is null ? ExecutionStatus.Succeeded : ExecutionStatus.Failed, Output = output, Error = error };

    public async Task<ExecutionRecord> StartAsync(StartRequest request, CancellationToken cancellationToken = default)
    {
        lock (Started)
        {
            Started.Add(request);
        }

        if (!_functions.ContainsKey(request.Function))
        {
            throw new UnknownFunctionException(request.Function);
        }

        var id = NewId();
        if (Held.Contains(request.Function))
        {
            return _records[id] = new ExecutionRecord
            {
                Id = id, Function = request.Function, Status = ExecutionStatus.Enqueued, Input = request.Input, ParentId = request.ParentId, CallDepth = request.CallDepth,
            };
        }

        return await RunRecordAsync(id, request, isAsync: true, cancellationToken);
    }

    /// <summary>The size of each batch started with StartManyAsync, in order.</summary>
    public List<int> Batches { get; } = [];

    /// <summary>As the execution service: every request is checked before any starts; then they start in order.</summary>
    public async Task<IReadOnlyList<ExecutionRecord>> StartManyAsync(IReadOnlyList<StartRequest> requests, CancellationToken cancellationToken = default)
    {
        if (requests.FirstOrDefault(r => !_functions.ContainsKey(r.Function)) is { } unknown)
        {
            throw new UnknownFunctionException(unknown.Function);
        }

        lock (Batches)
        {
            Batches.Add(requests.Count);
        }

        var records = new List<ExecutionRecord>();
        foreach (var request in requests)
        {
            records.Add(await StartAsync(request, cancellationToken));
        }

        return records;
    }

    public Task<ExecutionRecord> RunSyncAsync(StartRequest request, CancellationToken cancellationToken = default) =>
        _functions.ContainsKey(request.Function)
            ? RunRecordAsync(NewId(), request, isAsync: false, cancellationToken)
            : throw new UnknownFunctionException(request.Function);

    public async Task<JsonNode?> RunAsync(StartRequest request, CancellationToken cancellationToken = default)
    {
        var record = await RunSyncAsync(request, cancellationToken);
        return record.Status == ExecutionStatus.Succeeded ? record.Output : throw new ExecutionFailedException(record.Error!);
    }

    public Task<AwaitOutcome> AwaitAsync(IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        AwaitCalls++;
        var unknown = ids.Where(id => !_records.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new UnknownExecutionsException(unknown);
        }

        var results = ids.Select(id => _records[id].ToResult()).ToList();
        return Task.FromResult(new AwaitOutcome(results.TrueForAll(r => r.IsTerminal), results));
    }

    public Task<AwaitOutcome> AwaitFromExecutionAsync(ExecutionInfo caller, IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        AwaitAsync(ids, timeout, cancellationToken);

    public Task<QueuedRun> RunQueuedAsync(string executionId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public FunctionContext Context(string function, JsonObject? input = null, string id = "root") =>
        new(this, new ExecutionInfo(id, function, null, null, 0, 1, IsAsync: true), input ?? [], Services);

    private async Task<ExecutionRecord> RunRecordAsync(string id, StartRequest request, bool isAsync, CancellationToken cancellationToken)
    {
        var info = new ExecutionInfo(id, request.Function, null, request.ParentId, request.CallDepth, 1, isAsync);
        var context = new FunctionContext(this, info, request.Input as JsonObject ?? [], Services);
        ExecutionRecord record;
        try
        {
            var output = await _functions[request.Function](context, cancellationToken);
            record = new ExecutionRecord { Id = id, Function = request.Function, Status = ExecutionStatus.Succeeded, Input = request.Input, Output = output, ParentId = request.ParentId };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            record = new ExecutionRecord { Id = id, Function = request.Function, Status = ExecutionStatus.Failed, Input = request.Input, Error = ExecutionErrors.From(ex), ParentId = request.ParentId };
        }

        return _records[id] = record;
    }

    private string NewId() => "exec-" + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
