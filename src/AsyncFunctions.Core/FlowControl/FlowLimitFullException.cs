using AsyncFunctions.Functions;

namespace AsyncFunctions.FlowControl;

/// <summary>
/// A sync run of a limited function found a limit full: a concurrency limit with every slot held
/// (or executions waiting ahead), or a rate limit whose window is used up. A sync run cannot wait
/// without holding its caller, so it is refused at once (429 with <c>Retry-After</c> over HTTP; a
/// stack's sync <c>call</c> fails with the code <see cref="LimitFullCode"/>, which a <c>try</c> can catch).
/// </summary>
public sealed class FlowLimitFullException : FunctionException
{
    /// <summary>The error code of the refusal.</summary>
    public const string LimitFullCode = "flow.limit_full";

    public FlowLimitFullException(string function, string limit, TimeSpan retryAfter)
        : base(LimitFullCode, $"Function '{function}' cannot run now, its limit is full ({limit}). A sync run does not wait; try again later, or start it async to wait in line.")
    {
        RetryAfter = retryAfter;
    }

    public FlowLimitFullException()
        : this("", "limit", TimeSpan.FromSeconds(1))
    {
    }

    public FlowLimitFullException(string message)
        : base(LimitFullCode, message)
    {
        RetryAfter = TimeSpan.FromSeconds(1);
    }

    public FlowLimitFullException(string message, Exception innerException)
        : base(LimitFullCode, message, null, innerException)
    {
        RetryAfter = TimeSpan.FromSeconds(1);
    }

    /// <summary>When to try again: the next free rate window, or a second for a concurrency limit (a slot frees when a run ends, which nobody can tell in advance).</summary>
    public TimeSpan RetryAfter { get; }
}
