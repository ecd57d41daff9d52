using System.Text.Json.Serialization;

namespace AsyncFunctions.Schedules;

/// <summary>What an occurrence does while the schedule's previous execution has not finished.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScheduleOverlap>))]
public enum ScheduleOverlap
{
    /// <summary>The occurrence is skipped and counted; the previous execution runs on alone.</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,

    /// <summary>The occurrence starts anyway; both run.</summary>
    [JsonStringEnumMemberName("allow")]
    Allow,
}
