using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Running;

/// <summary>
/// What a running function sees of its execution, and the operations the REST API offers:
/// start other functions async (recorded as children of this execution), run them inline, and
/// await ids.
/// </summary>
public sealed class FunctionContext
{
    private readonly IExecutionService _executions;

    public FunctionContext(IExecutionService executions, ExecutionInfo execution, JsonObject input, IServiceProvider services, bool canSuspend = false)
    {
        _executions = executions;
        Execution = execution;
        Input = input;
        Services = services;
        CanSuspend = canSuspend;
    }

    /// <summary>
    /// True when this run may suspend at an await or a long sleep instead of waiting in place: an
    /// async execution of a resumable body (a function stack) with suspension on. Sync runs,
    /// functions called inline and C# functions wait in place.
    /// </summary>
    public bool CanSuspend { get; }

    public ExecutionInfo Execution { get; }

    public string ExecutionId => Execution.Id;

    /// <summary>The validated input, with defaults filled in.</summary>
    public JsonObject Input { get; }

    /// <summary>The services of this execution's DI scope.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Queues <paramref name="function"/> and returns the new execution's id at once.</summary>
    public async Task<string> StartAsync(string function, JsonNode? input, CancellationToken cancellationToken = default)
    {
        var record = await _executions.StartAsync(ChildRequest(function, input), cancellationToken).ConfigureAwait(false);
        return record.Id;
    }

    /// <summary>
    /// Queues one execution of <paramref name="function"/> per input and returns their ids at once,
    /// in the order of the inputs. Much faster than a loop of <see cref="StartAsync"/> on a
    /// database server: the starts are checked together, counted against the tree's bound in one
    /// write and created concurrently. Every input is validated first; if one is invalid (or the
    /// tree's bound would be passed) nothing is started.
    /// </summary>
    public Task<IReadOnlyList<string>> StartManyAsync(string function, IEnumerable<JsonNode?> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return StartManyAsync(inputs.Select(input => (function, input)), cancellationToken);
    }

    /// <summary>As <see cref="StartManyAsync(string, IEnumerable{JsonNode?}, CancellationToken)"/>, with a function per start.</summary>
    public async Task<IReadOnlyList<string>> StartManyAsync(IEnumerable<(string Function, JsonNode? Input)> starts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(starts);
        var requests = starts.Select(s => ChildRequest(s.Function, s.Input)).ToArray();
        var records = await _executions.StartManyAsync(requests, cancellationToken).ConfigureAwait(false);
        return records.Select(r => r.Id).ToArray();
    }

    /// <summary>Runs <paramref name="function"/> inline and returns its output; a failure is thrown as <see cref="ExecutionFailedException"/>.</summary>
    public Task<JsonNode?> RunAsync(string function, JsonNode? input, CancellationToken cancellationToken = default) =>
        _executions.RunAsync(ChildRequest(function, input), cancellationToken);

    /// <summary>
    /// Waits for <paramref name="ids"/> in place, holding this run's worker: C# functions await
    /// this way. When the timeout passes while every worker of this node is itself awaiting and
    /// some awaited execution never started, this throws a <see cref="Functions.FunctionException"/>
    /// with code <c>await.workers_exhausted</c> instead of reporting a plain timeout. (Function
    /// stacks run async suspend instead, see <see cref="CanSuspend"/>.)
    /// </summary>
    public Task<AwaitOutcome> AwaitAsync(IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _executions.AwaitFromExecutionAsync(Execution, ids, timeout, cancellationToken);

    private StartRequest ChildRequest(string function, JsonNode? input) =>
        new(function, input, Execution.Id, Execution.CallDepth + 1, Execution.TreeRootId) { Caller = Execution.Caller };
}
