using System.Text.Json.Nodes;
using AsyncFunctions.Hangfire.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace AsyncFunctions.Storage.Tests.Jobs;

public sealed class OutputHandOffTests
{
    [Fact]
    public void An_output_stays_until_its_write_is_done_so_a_retried_state_change_finds_it()
    {
        var handOff = new OutputHandOff(new FakeTimeProvider());
        handOff.Put("a", JsonValue.Create(42));

        Assert.Equal(42, handOff.Peek("a")!.GetValue<int>());
        Assert.Equal(42, handOff.Peek("a")!.GetValue<int>());

        handOff.Discard("a");
        Assert.Null(handOff.Peek("a"));
        Assert.Equal(0, handOff.Count);
    }

    [Fact]
    public void An_output_whose_state_change_never_comes_is_dropped_after_its_max_age()
    {
        var time = new FakeTimeProvider();
        var handOff = new OutputHandOff(time);
        handOff.Put("orphan", JsonValue.Create("big"));

        time.Advance(OutputHandOff.MaxAge / 2);
        handOff.Put("recent", JsonValue.Create(1));
        Assert.NotNull(handOff.Peek("orphan"));

        time.Advance(OutputHandOff.MaxAge + TimeSpan.FromSeconds(1));
        handOff.Put("new", JsonValue.Create(2));

        Assert.Null(handOff.Peek("orphan"));
        Assert.Null(handOff.Peek("recent"));
        Assert.Equal(2, handOff.Peek("new")!.GetValue<int>());
    }
}
