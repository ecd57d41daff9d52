namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>A sleep step that suspended the stack: it continues after the step once <see cref="Until"/> has passed.</summary>
public sealed class PendingSleep
{
    /// <summary>The JSON path of the sleep step.</summary>
    public string Step { get; set; } = "";

    public DateTimeOffset Until { get; set; }
}
