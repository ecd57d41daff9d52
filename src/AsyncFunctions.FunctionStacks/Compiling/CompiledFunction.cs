using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>
/// A function document that passed validation, with its expressions prepared. Immutable and safe
/// to share between executions and threads.
/// </summary>
public sealed class CompiledFunction
{
    private readonly Dictionary<string, StepBlock> _blocks;
    private readonly Dictionary<string, Step> _steps;

    internal CompiledFunction(
        JsonObject document,
        string name,
        string description,
        IReadOnlyList<InputDeclaration> inputs,
        RetryPolicy retry,
        TimeSpan? timeout,
        StepBlock root,
        ValueTemplate? response,
        Dictionary<string, StepBlock> blocks,
        Dictionary<string, Step> steps)
    {
        Document = document;
        Name = name;
        Description = description;
        Inputs = inputs;
        Retry = retry;
        Timeout = timeout;
        Root = root;
        Response = response;
        _blocks = blocks;
        _steps = steps;
    }

    /// <summary>The document as it was compiled (a private copy).</summary>
    public JsonObject Document { get; }

    public string Name { get; }

    public string Description { get; }

    public IReadOnlyList<InputDeclaration> Inputs { get; }

    public RetryPolicy Retry { get; }

    /// <summary>The document's <c>queue</c>; the descriptor adds the limits and debounce of <see cref="FlowLimits"/>.</summary>
    public AsyncFunctions.FlowControl.FunctionFlow Flow { get; init; } = AsyncFunctions.FlowControl.FunctionFlow.None;

    public TimeSpan? Timeout { get; }

    /// <summary>The document's <c>callbackUrl</c>: where each async execution's result is posted unless its start names another.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>The document's <c>concurrency</c>, <c>holdWhileAwaiting</c>, <c>rateLimit</c> and <c>debounce</c>.</summary>
    internal FlowDeclaration FlowLimits { get; init; } = FlowDeclaration.None;

    internal StepBlock Root { get; }

    internal ValueTemplate? Response { get; }

    internal StepBlock? FindBlock(string path) => _blocks.GetValueOrDefault(path);

    internal Step? FindStep(string path) => _steps.GetValueOrDefault(path);
}
