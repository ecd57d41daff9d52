using Cronos;

namespace AsyncFunctions.Schedules;

/// <summary>
/// A schedule's cron read in its time zone, with the rules Hangfire's recurring jobs use: 5 fields,
/// 6 when the first is seconds, or a macro such as <c>@daily</c>. Times across a daylight-saving
/// change follow Cronos: a local time skipped by the change runs at the first instant after it,
/// and a local time that happens twice runs once (interval expressions run in both hours).
/// </summary>
public sealed class ScheduleTimetable
{
    // Looked back from a time for its latest occurrence, widening until one is found.
    private static readonly TimeSpan[] LookBack =
    [
        TimeSpan.FromMinutes(2), TimeSpan.FromHours(2), TimeSpan.FromDays(2), TimeSpan.FromDays(40), TimeSpan.FromDays(400), TimeSpan.FromDays(1500),
    ];

    private readonly CronExpression _cron;

    private ScheduleTimetable(CronExpression cron, TimeZoneInfo zone)
    {
        _cron = cron;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Reads a cron and a time zone id; the error names what is wrong with either.</summary>
    public static bool TryCreate(string? cron, string? timeZone, out ScheduleTimetable? timetable, out string? cronError, out string? timeZoneError)
    {
        timetable = null;
        cronError = null;
        timeZoneError = null;
        var expression = TryParseCron(cron, out cronError);
        var zone = TryFindZone(timeZone, out timeZoneError);
        if (expression is null || zone is null)
        {
            return false;
        }

        timetable = new ScheduleTimetable(expression, zone);
        return true;
    }

    /// <summary>Reads a schedule's cron and time zone, which were checked when it was saved.</summary>
    public static ScheduleTimetable For(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return TryCreate(schedule.Cron, schedule.TimeZone, out var timetable, out var cronError, out var zoneError)
            ? timetable!
            : throw new ArgumentException($"Schedule '{schedule.Name}': {cronError ?? zoneError}", nameof(schedule));
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>; null when the cron never fires again.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => _cron.GetNextOccurrence(after.ToUniversalTime(), Zone, inclusive: false)?.ToUniversalTime();

    /// <summary>The latest occurrence at or before <paramref name="time"/>; null when there is none within about four years.</summary>
    public DateTimeOffset? Latest(DateTimeOffset time)
    {
        var to = time.ToUniversalTime();
        foreach (var window in LookBack)
        {
            DateTimeOffset? latest = null;
            foreach (var occurrence in _cron.GetOccurrences(to - window, to, Zone, fromInclusive: true, toInclusive: true))
            {
                latest = occurrence;
            }

            if (latest is { } found)
            {
                return found.ToUniversalTime();
            }
        }

        return null;
    }

    private static CronExpression? TryParseCron(string? cron, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(cron))
        {
            error = "is required: 5 fields, or 6 with seconds first (e.g. \"*/5 * * * * *\")";
            return null;
        }

        var format = CronFormat.Standard;
        if (!cron.StartsWith('@'))
        {
            var fields = cron.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
            if (fields == 6)
            {
                format |= CronFormat.IncludeSeconds;
            }
            else if (fields != 5)
            {
                error = $"has {fields} field(s): use 5, or 6 with seconds first";
                return null;
            }
        }

        try
        {
            return CronExpression.Parse(cron, format);
        }
        catch (CronFormatException ex)
        {
            error = "is not a valid cron expression: " + ex.Message;
            return null;
        }
    }

    private static TimeZoneInfo? TryFindZone(string? id, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Utc;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }

        error = $"'{id}' is not a known time zone: use an IANA id such as \"Europe/Oslo\" or \"UTC\"";
        return null;
    }
}
