using System.Text.Json.Serialization;

namespace AsyncFunctions.Contracts;

/// <summary>
/// How a start runs: queued (<c>async</c>, the default). The start operation documents only this
/// mode, so that it has one answer type; a run inside the request is its own operation (runFunction).
/// The start route still accepts the older <c>sync</c>, which answers as runFunction does.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<StartMode>))]
public enum StartMode
{
    [JsonStringEnumMemberName("async")]
    Async,
}
