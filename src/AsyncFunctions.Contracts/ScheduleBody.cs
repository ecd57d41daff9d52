using System.ComponentModel;
using System.Text.Json.Nodes;
using AsyncFunctions.Schedules;

namespace AsyncFunctions.Contracts;

[Description("Creates or replaces a schedule. function and cron are required; any other field is refused with 400.")]
public sealed record ScheduleBody
{
    [Description("The function every occurrence runs.")]
    public required string Function { get; init; }

    [Description("The input of every occurrence: a JSON object checked against the function's declared inputs when the schedule is saved.")]
    public JsonObject? Input { get; init; }

    [Description("When it runs: 5 cron fields, or 6 with seconds first (\"*/5 * * * * *\" is every 5 seconds), or a macro such as \"@daily\".")]
    public required string Cron { get; init; }

    [Description("The IANA time zone the cron is read in, e.g. \"Europe/Oslo\"; default \"UTC\". Daylight-saving changes follow the zone's clock.")]
    public string? TimeZone { get; init; }

    [Description("false pauses it; default true.")]
    public bool? Enabled { get; init; }

    [Description("\"skip\" (default): an occurrence while the previous execution has not finished is skipped and counted in skippedRuns. \"allow\": both run.")]
    public ScheduleOverlap? Overlap { get; init; }

    [Description("An absolute http(s) URL each occurrence's signed result is posted to; overrides the function's own. Needs AsyncFunctions:Webhooks:Secret.")]
    public Uri? CallbackUrl { get; init; }
}
