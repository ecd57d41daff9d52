using System.Text.Json.Serialization;

namespace AsyncFunctions.AspNetCore.OpenApi;

/// <summary>How a start runs: queued (<c>async</c>, the default) or inside the request (<c>sync</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StartMode>))]
public enum StartMode
{
    [JsonStringEnumMemberName("async")]
    Async,

    [JsonStringEnumMemberName("sync")]
    Sync,
}
