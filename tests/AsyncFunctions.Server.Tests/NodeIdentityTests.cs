using AsyncFunctions.Hangfire.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace AsyncFunctions.Server.Tests;

/// <summary>When a finishing run must look whether its job was taken over, on a fake clock.</summary>
public sealed class NodeIdentityTests
{
    private static readonly TimeSpan SafeWindow = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void A_node_without_heartbeats_is_never_taken_over()
    {
        var identity = new NodeIdentity(_clock);
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.False(identity.MayHaveBeenTakenOver(identity.Now(), SafeWindow));
    }

    [Fact]
    public void While_the_last_heartbeat_is_fresh_a_run_need_not_look()
    {
        var identity = Heartbeating();
        var run = identity.Now();
        identity.BeatWritten(identity.Now());
        _clock.Advance(SafeWindow - TimeSpan.FromMilliseconds(1));

        Assert.False(identity.MayHaveBeenTakenOver(run, SafeWindow));
    }

    [Fact]
    public void After_a_silence_as_long_as_the_window_a_run_must_look()
    {
        var identity = Heartbeating();
        identity.BeatWritten(identity.Now());
        var run = identity.Now();
        _clock.Advance(SafeWindow);

        Assert.True(identity.MayHaveBeenTakenOver(run, SafeWindow));
    }

    [Fact]
    public void Before_the_first_heartbeat_a_run_must_look()
    {
        Assert.True(Heartbeating().MayHaveBeenTakenOver(0, SafeWindow));
    }

    [Fact]
    public void A_takeover_noticed_after_a_run_began_makes_it_look_even_with_a_fresh_heartbeat_but_not_a_later_run()
    {
        var identity = Heartbeating();
        var before = identity.Now();
        _clock.Advance(TimeSpan.FromSeconds(1));
        identity.BeatWritten(identity.Now());
        identity.TakeoverNoticed(identity.Now());
        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = identity.Now();

        Assert.True(identity.MayHaveBeenTakenOver(before, SafeWindow));
        Assert.False(identity.MayHaveBeenTakenOver(after, SafeWindow));
    }

    private NodeIdentity Heartbeating()
    {
        var identity = new NodeIdentity(_clock);
        identity.StartHeartbeating();
        return identity;
    }
}
