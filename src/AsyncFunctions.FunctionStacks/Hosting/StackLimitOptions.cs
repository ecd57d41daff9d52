namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>
/// What one execution of a stack may use. A breach fails the execution with the code named on
/// each limit; it cannot be caught by try/catch.
/// </summary>
public sealed class StackLimitOptions
{
    /// <summary>The highest <see cref="JsDepth"/> accepted: JSON writers stop at 1000 levels, and value templates nest a value further.</summary>
    public const int MaxJsDepth = 900;

    /// <summary>The lowest <see cref="JsArrayLength"/> accepted: the engine's own set-up makes small arrays.</summary>
    public const int MinJsArrayLength = 1000;

    /// <summary>Longest run of one expression or lambda (<c>limit.js_timeout</c>).</summary>
    public TimeSpan JsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most memory one expression or lambda may allocate (<c>limit.js_memory</c>).</summary>
    public long JsMemoryBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Deepest JavaScript call recursion (<c>limit.js_recursion</c>).</summary>
    public int JsRecursion { get; set; } = 200;

    /// <summary>
    /// Deepest nesting of arrays and objects in a value handed to or returned by JavaScript
    /// (<c>limit.js_depth</c>); at most <see cref="MaxJsDepth"/>.
    /// </summary>
    public int JsDepth { get; set; } = 64;

    /// <summary>
    /// Longest JavaScript array and typed array, in elements; an ArrayBuffer holds at most eight times
    /// as many bytes (<c>limit.js_memory</c>). Bounds what one call of a built-in such as sort can take on.
    /// </summary>
    public int JsArrayLength { get; set; } = 1_000_000;

    /// <summary>Most steps one execution runs, loop bodies included (<c>limit.steps</c>).</summary>
    public long Steps { get; set; } = 100_000;

    /// <summary>Most iterations of one loop; also caps while loops (<c>limit.loop</c>).</summary>
    public long LoopIterations { get; set; } = 10_000;

    /// <summary>Largest variable value as JSON in UTF-8 bytes (<c>limit.variable_size</c>).</summary>
    public int VariableBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest response as JSON in UTF-8 bytes (<c>limit.output_size</c>).</summary>
    public int OutputBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest total of all variables together as JSON in UTF-8 bytes (<c>limit.state_size</c>).</summary>
    public long StateBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Most JavaScript time one execution spends over all its expressions and lambdas (<c>limit.js_total_time</c>).</summary>
    public TimeSpan JsTotalTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most bytes one execution writes with log steps, messages and data together (<c>limit.log_size</c>).</summary>
    public long LogBytes { get; set; } = 1024 * 1024;

    /// <summary>Most executions one execution starts with async call steps (<c>limit.async_calls</c>).</summary>
    public int AsyncCalls { get; set; } = 1000;

    /// <summary>
    /// Largest size of a SQLite database a query step writes to, main and temporary database each
    /// (<c>limit.database_size</c>); 0 leaves it unbounded. A database already larger stays readable
    /// but does not grow.
    /// </summary>
    public long SqliteDatabaseBytes { get; set; } = 1024L * 1024 * 1024;
}
