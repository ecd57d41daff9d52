using System.Text.Json.Serialization;

namespace AsyncFunctions.FunctionStacks.Runtime;

[JsonConverter(typeof(JsonStringEnumConverter<FrameKind>))]
public enum FrameKind
{
    /// <summary>A plain list of steps: the stack itself or a branch of if/switch.</summary>
    Block,

    /// <summary>The body of a for, foreach or while loop.</summary>
    Loop,

    /// <summary>A try step, in its try, catch or finally phase.</summary>
    Try,
}
