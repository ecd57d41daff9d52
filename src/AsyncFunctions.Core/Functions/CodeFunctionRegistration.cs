using AsyncFunctions.FlowControl;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.Functions;

/// <summary>A C# function as registered: its class and what it declares.</summary>
public sealed class CodeFunctionRegistration
{
    private readonly List<InputDeclaration> _inputs = [];

    internal CodeFunctionRegistration(string name, Type type)
    {
        Name = FunctionName.Validate(name);
        Type = type;
    }

    public string Name { get; }

    public Type Type { get; }

    public string Description { get; private set; } = "";

    public IReadOnlyList<InputDeclaration> Inputs => _inputs;

    public RetryPolicy Retry { get; private set; } = RetryPolicy.None;

    public TimeSpan? Timeout { get; private set; }

    public string? CallbackUrl { get; private set; }

    public FunctionFlow Flow { get; private set; } = FunctionFlow.None;

    public CodeFunctionRegistration Describe(string description)
    {
        Description = description;
        return this;
    }

    public CodeFunctionRegistration Input(InputDeclaration input)
    {
        if (_inputs.Exists(i => i.Name == input.Name))
        {
            throw new ArgumentException($"Function '{Name}' already declares an input named '{input.Name}'.", nameof(input));
        }

        _inputs.Add(input);
        return this;
    }

    public CodeFunctionRegistration Input(string name, InputType type, bool required = false, string? description = null) =>
        Input(new InputDeclaration { Name = name, Type = type, Required = required, Description = description });

    public CodeFunctionRegistration Retries(int maxRetries, params int[] delaySeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        Retry = new RetryPolicy(maxRetries, delaySeconds);
        return this;
    }

    public CodeFunctionRegistration WithTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Timeout = timeout;
        return this;
    }

    /// <summary>Posts the result of each async execution to <paramref name="url"/> when it finishes (unless its start names another URL).</summary>
    public CodeFunctionRegistration WithCallback(string url)
    {
        if (Webhooks.CallbackUrl.Problem(url) is { } problem)
        {
            throw new ArgumentException($"The callback URL of function '{Name}' {problem}.", nameof(url));
        }

        CallbackUrl = url;
        return this;
    }

    /// <summary>Carries the function's executions on <paramref name="queue"/> instead of <c>default</c>.</summary>
    public CodeFunctionRegistration InQueue(string queue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        Flow = Flow with { Queue = queue };
        return this;
    }

    /// <summary>Runs at most <paramref name="limit"/> executions at once (per value of <paramref name="key"/> when given). May be called more than once.</summary>
    public CodeFunctionRegistration LimitConcurrency(int limit, FlowKey? key = null, bool holdWhileAwaiting = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Flow = Flow with { Concurrency = [.. Flow.Concurrency, new ConcurrencyLimit(limit, key)], HoldWhileAwaiting = Flow.HoldWhileAwaiting || holdWhileAwaiting };
        return this;
    }

    /// <summary>Starts at most <paramref name="limit"/> executions per <paramref name="periodSeconds"/> (per value of <paramref name="key"/> when given); the rest wait for the next free window.</summary>
    public CodeFunctionRegistration LimitRate(int limit, int periodSeconds, FlowKey? key = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(periodSeconds, 1);
        Flow = Flow with { RateLimit = new RateLimit(limit, periodSeconds, key) };
        return this;
    }

    /// <summary>Folds starts (with the same <paramref name="key"/> value) made within <paramref name="periodSeconds"/> into one execution with the latest input.</summary>
    public CodeFunctionRegistration Debounce(int periodSeconds, FlowKey? key = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periodSeconds, 1);
        Flow = Flow with { Debounce = new DebounceRule(periodSeconds, key) };
        return this;
    }
}
