using System.Text.Json.Serialization;

namespace AsyncFunctions.FunctionStacks.Runtime;

[JsonConverter(typeof(JsonStringEnumConverter<TryPhase>))]
public enum TryPhase
{
    Try,
    Catch,
    Finally,
}
