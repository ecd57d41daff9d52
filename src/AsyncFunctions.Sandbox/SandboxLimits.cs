namespace AsyncFunctions.Sandbox;

/// <summary>What one evaluation may use; the server's stack limits, handed over with every request.</summary>
public sealed record SandboxLimits
{
    /// <summary>Longest run of one evaluation, in milliseconds (<c>limit.js_timeout</c>).</summary>
    public double TimeoutMilliseconds { get; init; } = 5000;

    /// <summary>Most memory one evaluation may allocate (<c>limit.js_memory</c>).</summary>
    public long MemoryBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Deepest JavaScript call recursion (<c>limit.js_recursion</c>).</summary>
    public int Recursion { get; init; } = 200;

    /// <summary>Deepest nesting of arrays and objects handed in or returned (<c>limit.js_depth</c>).</summary>
    public int Depth { get; init; } = 64;

    /// <summary>Longest array and typed array, in elements (<c>limit.js_memory</c>).</summary>
    public int ArrayLength { get; init; } = 1_000_000;

    public TimeSpan Timeout => TimeSpan.FromMilliseconds(TimeoutMilliseconds);
}
