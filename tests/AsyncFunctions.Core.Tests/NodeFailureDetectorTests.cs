using AsyncFunctions.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace AsyncFunctions.Core.Tests;

/// <summary>The takeover decision, on a fake clock: by the observer's own clock, never by the timestamps nodes write.</summary>
public sealed class NodeFailureDetectorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));

    private static NodeRecord Node(string id, long beats, DateTimeOffset? lastHeartbeat = null) =>
        new(id, "server-" + id, DateTimeOffset.UnixEpoch, lastHeartbeat ?? DateTimeOffset.UnixEpoch, beats);

    [Fact]
    public void A_node_whose_beats_stop_is_silent_once_the_timeout_passed_by_the_observers_clock()
    {
        var detector = new NodeFailureDetector(_clock, Timeout);
        Assert.Empty(detector.Observe([Node("a", 5)], "me"));

        _clock.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.Empty(detector.Observe([Node("a", 5)], "me"));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var silent = Assert.Single(detector.Observe([Node("a", 5)], "me"));
        Assert.Equal(("a", Timeout), (silent.Node.NodeId, silent.SilentFor));
    }

    [Fact]
    public void A_beat_restarts_the_count_and_a_pause_shorter_than_the_timeout_is_never_silent()
    {
        var detector = new NodeFailureDetector(_clock, Timeout);
        detector.Observe([Node("a", 1)], "me");
        _clock.Advance(TimeSpan.FromSeconds(9));
        detector.Observe([Node("a", 2)], "me");
        _clock.Advance(TimeSpan.FromSeconds(9));

        Assert.Empty(detector.Observe([Node("a", 2)], "me"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(detector.Observe([Node("a", 2)], "me"));
    }

    [Fact]
    public void Written_timestamps_do_not_matter_a_node_with_a_clock_far_behind_stays_alive_while_it_beats()
    {
        var detector = new NodeFailureDetector(_clock, Timeout);
        var skewed = _clock.GetUtcNow().AddHours(-1);
        for (var beat = 1; beat <= 10; beat++)
        {
            Assert.Empty(detector.Observe([Node("behind", beat, skewed)], "me"));
            _clock.Advance(TimeSpan.FromSeconds(2));
        }
    }

    [Fact]
    public void An_observer_that_just_started_waits_a_whole_timeout_even_for_a_row_that_looks_old()
    {
        var detector = new NodeFailureDetector(_clock, Timeout);
        var longAgo = _clock.GetUtcNow().AddMinutes(-5);

        Assert.Empty(detector.Observe([Node("old", 3, longAgo)], "me"));
        _clock.Advance(Timeout);
        Assert.Single(detector.Observe([Node("old", 3, longAgo)], "me"));
    }

    [Fact]
    public void The_observer_itself_and_a_node_already_taken_over_are_never_silent()
    {
        var detector = new NodeFailureDetector(_clock, Timeout);
        var takenOver = Node("gone", 4) with { TakenOverBeats = 4, TakenOverAt = _clock.GetUtcNow() };
        detector.Observe([Node("me", 1), takenOver], "me");
        _clock.Advance(Timeout * 3);

        Assert.Empty(detector.Observe([Node("me", 1), takenOver], "me"));
    }

    [Fact]
    public void A_node_that_came_back_after_its_takeover_and_stops_again_is_silent_again()
    {
        var detector = new NodeFailureDetector(_clock, Timeout);
        var back = Node("back", 5) with { TakenOverBeats = 4 };
        detector.Observe([back], "me");
        _clock.Advance(Timeout);

        Assert.Single(detector.Observe([back], "me"));
    }

    [Fact]
    public void A_node_whose_row_vanished_and_reappears_starts_a_new_count()
    {
        var detector = new NodeFailureDetector(_clock, Timeout);
        detector.Observe([Node("a", 1)], "me");
        _clock.Advance(Timeout);
        detector.Observe([], "me");

        Assert.Empty(detector.Observe([Node("a", 1)], "me"));
    }
}
