using AsyncFunctions.Schedules;

namespace AsyncFunctions.Core.Tests;

/// <summary>
/// A schedule's times in its time zone, across Oslo's daylight-saving changes of 2026 (29 March,
/// 02:00 to 03:00; 25 October, 03:00 back to 02:00), computed from given instants: no waiting.
/// </summary>
public sealed class ScheduleTimetableTests
{
    private static ScheduleTimetable Oslo(string cron)
    {
        Assert.True(ScheduleTimetable.TryCreate(cron, "Europe/Oslo", out var timetable, out var cronError, out var zoneError), cronError ?? zoneError);
        return timetable!;
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_daily_time_keeps_its_local_hour_across_the_spring_change()
    {
        var at8 = Oslo("0 8 * * *");

        Assert.Equal(Utc("2026-03-28T07:00:00Z"), at8.Next(Utc("2026-03-28T00:00:00Z")));
        Assert.Equal(Utc("2026-03-29T06:00:00Z"), at8.Next(Utc("2026-03-28T07:00:00Z")));
        Assert.Equal(Utc("2026-03-30T06:00:00Z"), at8.Next(Utc("2026-03-29T06:00:00Z")));
    }

    [Fact]
    public void A_local_time_skipped_by_the_spring_change_runs_once_right_after_the_gap()
    {
        var at0230 = Oslo("30 2 * * *");

        // 02:30 does not exist on 29 March: the occurrence is at 03:00 CEST, 01:00 UTC.
        Assert.Equal(Utc("2026-03-29T01:00:00Z"), at0230.Next(Utc("2026-03-28T12:00:00Z")));
        Assert.Equal(Utc("2026-03-30T00:30:00Z"), at0230.Next(Utc("2026-03-29T01:00:00Z")));
    }

    [Fact]
    public void A_local_time_repeated_by_the_autumn_change_runs_once()
    {
        var at0230 = Oslo("30 2 * * *");

        var first = at0230.Next(Utc("2026-10-24T12:00:00Z"));
        Assert.Equal(Utc("2026-10-25T00:30:00Z"), first);
        Assert.Equal(Utc("2026-10-26T01:30:00Z"), at0230.Next(first!.Value));
    }

    [Fact]
    public void An_hourly_cron_runs_every_real_hour_through_the_autumn_change()
    {
        var hourly = Oslo("0 * * * *");

        Assert.Equal(Utc("2026-10-25T00:00:00Z"), hourly.Next(Utc("2026-10-24T23:30:00Z")));
        Assert.Equal(Utc("2026-10-25T01:00:00Z"), hourly.Next(Utc("2026-10-25T00:00:00Z")));
        Assert.Equal(Utc("2026-10-25T02:00:00Z"), hourly.Next(Utc("2026-10-25T01:00:00Z")));
    }

    [Fact]
    public void The_latest_occurrence_at_or_before_a_time_is_found_across_a_change()
    {
        var at0230 = Oslo("30 2 * * *");

        Assert.Equal(Utc("2026-03-28T01:30:00Z"), at0230.Latest(Utc("2026-03-29T00:59:59Z")));
        Assert.Equal(Utc("2026-03-29T01:00:00Z"), at0230.Latest(Utc("2026-03-29T01:00:00Z")));
        Assert.Equal(Utc("2026-10-25T00:30:00Z"), at0230.Latest(Utc("2026-10-26T01:29:00Z")));
    }

    [Fact]
    public void Six_fields_read_the_first_as_seconds_and_the_tick_of_a_late_firing_is_recovered()
    {
        Assert.True(ScheduleTimetable.TryCreate("*/2 * * * * *", null, out var every2s, out _, out _));

        Assert.Equal(Utc("2026-12-06T10:00:02Z"), every2s!.Next(Utc("2026-12-06T10:00:00Z")));
        Assert.Equal(Utc("2026-12-06T10:00:02Z"), every2s.Latest(Utc("2026-12-06T10:00:03.900Z")));
        Assert.Equal(TimeZoneInfo.Utc, every2s.Zone);
    }

    [Theory]
    [InlineData("* * * *", "cron")]
    [InlineData("* * * * * * *", "cron")]
    [InlineData("61 * * * *", "cron")]
    [InlineData("", "cron")]
    public void A_cron_that_is_not_valid_is_named_as_such(string cron, string field)
    {
        Assert.False(ScheduleTimetable.TryCreate(cron, "UTC", out _, out var cronError, out var zoneError));
        Assert.Equal("cron", field);
        Assert.NotNull(cronError);
        Assert.Null(zoneError);
    }

    [Fact]
    public void An_unknown_time_zone_is_named_as_such()
    {
        Assert.False(ScheduleTimetable.TryCreate("* * * * *", "Mars/Olympus", out _, out var cronError, out var zoneError));
        Assert.Null(cronError);
        Assert.Contains("Mars/Olympus", zoneError, StringComparison.Ordinal);
    }
}
