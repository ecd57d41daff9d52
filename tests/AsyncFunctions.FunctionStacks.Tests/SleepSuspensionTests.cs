using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>A sleep longer than the threshold suspends a run that may; a resumed one goes on after its time.</summary>
public sealed class SleepSuspensionTests
{
    private static readonly string Document = Stacks.Doc("""[ { "var": "before", "value": 1 }, { "sleep": 60000 }, { "var": "after", "value": 2 } ]""", "\"=$var.before + $var.after\"");

    [Fact]
    public async Task A_long_sleep_suspends_with_its_end_in_the_state_and_resumes_after_the_step()
    {
        var stacks = new Stacks();
        var interpreter = new StackInterpreter(Stacks.Compile(Document), stacks.Services);
        var before = DateTimeOffset.UtcNow;

        var first = await interpreter.RunAsync(interpreter.Start(), stacks.Executions.Context("test"), suspendAtAwait: true);

        Assert.False(first.Completed);
        Assert.Null(first.State.Await);
        Assert.Equal("$.stack[1]", first.State.Sleep!.Step);
        Assert.InRange(first.State.Sleep.Until, before.AddSeconds(60), DateTimeOffset.UtcNow.AddSeconds(60));

        // Woken early (a requeue from the dashboard), it suspends again for the time left.
        var early = await interpreter.RunAsync(StackState.Deserialize(first.State.Serialize()), stacks.Executions.Context("test"), suspendAtAwait: true);
        Assert.False(early.Completed);
        Assert.Equal(first.State.Sleep.Until, early.State.Sleep!.Until);

        // With less than the threshold left it waits the rest in place and goes on.
        early.State.Sleep.Until = DateTimeOffset.UtcNow.AddMilliseconds(50);
        var done = await interpreter.RunAsync(StackState.Deserialize(early.State.Serialize()), stacks.Executions.Context("test"), suspendAtAwait: true);
        Assert.True(done.Completed);
        Assert.Equal(3, done.Output!.GetValue<int>());
    }

    [Fact]
    public async Task A_sleep_under_the_threshold_or_in_a_run_that_may_not_suspend_waits_in_place()
    {
        var stacks = new Stacks(o => o.SuspendSleepsLongerThanMilliseconds = 1000);
        var shortSleep = Stacks.Doc("""[ { "sleep": 20 } ]""", "\"slept\"");
        var interpreter = new StackInterpreter(Stacks.Compile(shortSleep), stacks.Services);

        var result = await interpreter.RunAsync(interpreter.Start(), stacks.Executions.Context("test"), suspendAtAwait: true);

        Assert.True(result.Completed);
        Assert.Null(result.State.Sleep);
        // A run that may not suspend sleeps the minute in place: only the cancellation ends it.
        using var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var inPlace = new StackInterpreter(Stacks.Compile(Document), stacks.Services);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => inPlace.RunAsync(inPlace.Start(), stacks.Executions.Context("test"), suspendAtAwait: false, cancelled.Token));
    }
}
