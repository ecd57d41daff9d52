using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>
/// One entry of the interpreter's frame stack: which list of steps runs and where it stands.
/// Blocks and steps are named by their JSON paths in the document, so a frame saved by one
/// process means the same in another that compiled the same document.
/// </summary>
public sealed class StackFrame
{
    public FrameKind Kind { get; set; }

    /// <summary>The JSON path of the running step list, for example <c>$.stack[2].do</c>.</summary>
    public string Block { get; set; } = "";

    /// <summary>Index in <see cref="Block"/> of the next step to run.</summary>
    public int Pc { get; set; }

    /// <summary>For loops and try frames: the JSON path of the loop or try step.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Step { get; set; }

    /// <summary>Loops: the 0-based number of the running iteration.</summary>
    public long Iteration { get; set; }

    /// <summary>For loops: how many iterations run.</summary>
    public long Count { get; set; }

    /// <summary>Foreach loops: the items, evaluated once when the loop started.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Items { get; set; }

    public TryPhase Phase { get; set; }

    /// <summary>
    /// Fan-out loops: the ids of the children the first iteration started for every iteration
    /// (see StackRun.StartAhead). Never saved: such a loop's body cannot suspend.
    /// </summary>
    [JsonIgnore]
    internal IReadOnlyList<string>? StartedAhead { get; set; }

    /// <summary>Try frames: the completion that resumes after the finally block.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Completion? Pending { get; set; }
}
