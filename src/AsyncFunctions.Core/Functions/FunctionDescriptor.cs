using AsyncFunctions.FlowControl;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.Functions;

/// <summary>Everything the execution core needs to know about a function to validate, queue and run it.</summary>
public sealed record FunctionDescriptor
{
    public required string Name { get; init; }

    public string Description { get; init; } = "";

    public IReadOnlyList<InputDeclaration> Inputs { get; init; } = [];

    /// <summary>"code" for C# functions, "stack" for function stacks.</summary>
    public required string Kind { get; init; }

    /// <summary>Definition version for stored functions; null for C# functions.</summary>
    public int? Version { get; init; }

    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    /// <summary>Longest time one attempt may run; null for no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Where the result of each async execution is posted when it finishes, unless its start names another; null for none.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>Queue, concurrency and rate limits, debounce.</summary>
    public FunctionFlow Flow { get; init; } = FunctionFlow.None;

    public required IFunctionBody Body { get; init; }
}
