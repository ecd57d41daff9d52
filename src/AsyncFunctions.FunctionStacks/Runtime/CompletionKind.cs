using System.Text.Json.Serialization;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>How a block left early: by an error, break, continue or return.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CompletionKind>))]
public enum CompletionKind
{
    Error,
    Break,
    Continue,
    Return,
}
