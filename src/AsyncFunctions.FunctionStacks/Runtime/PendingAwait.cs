using System.Text.Json.Serialization;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>An await step that suspended the stack: what it waits for and where the result goes.</summary>
public sealed class PendingAwait
{
    /// <summary>The JSON path of the await step.</summary>
    public string Step { get; set; } = "";

    public List<string> Ids { get; set; } = [];

    /// <summary>True when the step named one id (not an array), so it yields one result.</summary>
    public bool Single { get; set; }

    public double TimeoutSeconds { get; set; }

    /// <summary>When the await began; a resumed await only waits for what is left of its timeout.</summary>
    public DateTimeOffset StartedAt { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? As { get; set; }

    public bool Settled { get; set; }
}
