using System.Globalization;
using System.Text.Json.Nodes;
using AsyncFunctions.Schedules;
using Microsoft.Extensions.Configuration;

namespace AsyncFunctions.Hangfire.Schedules;

/// <summary>
/// The schedules declared in configuration, <c>AsyncFunctions:Schedules:&lt;name&gt;:{function,
/// input, cron, timeZone, enabled, overlap, callbackUrl}</c>, for deployments kept in git. Values of
/// the input arrive as configuration strings: <c>true</c>/<c>false</c> and numbers become JSON
/// booleans and numbers, anything else a string; nested sections become objects.
/// </summary>
public static class DeclaredSchedules
{
    public const string Section = "AsyncFunctions:Schedules";

    private static readonly HashSet<string> Fields = new(["function", "input", "cron", "timeZone", "enabled", "overlap", "callbackUrl"], StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<Schedule> Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var declared = new List<Schedule>();
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            var path = $"{Section}:{section.Key}";
            if (section.GetChildren().FirstOrDefault(c => !Fields.Contains(c.Key)) is { } unknown)
            {
                throw new InvalidOperationException($"{path}:{unknown.Key} is not a schedule field; use {string.Join(", ", Fields)}.");
            }

            declared.Add(new Schedule
            {
                Name = section.Key,
                Function = section["function"] ?? throw new InvalidOperationException($"{path}:function is required."),
                Input = ToObject(section.GetSection("input")),
                Cron = section["cron"] ?? throw new InvalidOperationException($"{path}:cron is required."),
                TimeZone = section["timeZone"] ?? "UTC",
                Enabled = ReadBool(section["enabled"], $"{path}:enabled") ?? true,
                Overlap = ReadOverlap(section["overlap"], $"{path}:overlap"),
                CallbackUrl = section["callbackUrl"],
                Declared = true,
            });
        }

        return declared;
    }

    private static JsonObject ToObject(IConfigurationSection section)
    {
        var result = new JsonObject();
        foreach (var child in section.GetChildren())
        {
            result[child.Key] = child.Value is { } value ? Scalar(value) : ToObject(child);
        }

        return result;
    }

    private static JsonNode Scalar(string value) =>
        bool.TryParse(value, out var flag) ? JsonValue.Create(flag)
        : long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) ? JsonValue.Create(whole)
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? JsonValue.Create(number)
        : JsonValue.Create(value);

    private static bool? ReadBool(string? value, string path) =>
        value is null ? null
        : bool.TryParse(value, out var flag) ? flag
        : throw new InvalidOperationException($"{path} must be true or false.");

    private static ScheduleOverlap ReadOverlap(string? value, string path) => value?.ToLowerInvariant() switch
    {
        null or "skip" => ScheduleOverlap.Skip,
        "allow" => ScheduleOverlap.Allow,
        _ => throw new InvalidOperationException($"{path} must be \"skip\" or \"allow\"."),
    };
}
