using AsyncFunctions.Executions;

namespace AsyncFunctions.Core.Tests;

public class ExecutionStatusRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(ExecutionStatus.Succeeded, true)]
    [InlineData(ExecutionStatus.Failed, true)]
    [InlineData(ExecutionStatus.Cancelled, true)]
    [InlineData(ExecutionStatus.Enqueued, false)]
    [InlineData(ExecutionStatus.Scheduled, false)]
    [InlineData(ExecutionStatus.Processing, false)]
    public void Terminal_statuses_are_succeeded_failed_and_cancelled(ExecutionStatus status, bool terminal) =>
        Assert.Equal(terminal, status.IsTerminal());

    [Fact]
    public void A_late_enqueued_write_never_overwrites_succeeded() =>
        Assert.False(ExecutionStatusRules.Supersedes(ExecutionStatus.Enqueued, T0, ExecutionStatus.Succeeded, T0.AddMilliseconds(5)));

    [Fact]
    public void A_requeue_after_completion_supersedes_it() =>
        Assert.True(ExecutionStatusRules.Supersedes(ExecutionStatus.Enqueued, T0.AddSeconds(1), ExecutionStatus.Failed, T0));

    [Theory]
    [InlineData(ExecutionStatus.Processing, ExecutionStatus.Enqueued, true)]
    [InlineData(ExecutionStatus.Succeeded, ExecutionStatus.Processing, true)]
    [InlineData(ExecutionStatus.Enqueued, ExecutionStatus.Processing, false)]
    [InlineData(ExecutionStatus.Processing, ExecutionStatus.Failed, false)]
    public void At_the_same_time_the_later_phase_wins(ExecutionStatus incoming, ExecutionStatus stored, bool supersedes) =>
        Assert.Equal(supersedes, ExecutionStatusRules.Supersedes(incoming, T0, stored, T0));

    [Fact]
    public void Moving_forward_applies_whatever_the_clocks_say()
    {
        // The API node's clock is ahead: the worker's Processing and Succeeded look older than Enqueued.
        Assert.True(ExecutionStatusRules.Supersedes(ExecutionStatus.Processing, T0, ExecutionStatus.Enqueued, T0.AddMilliseconds(30)));
        Assert.True(ExecutionStatusRules.Supersedes(ExecutionStatus.Succeeded, T0.AddMilliseconds(2), ExecutionStatus.Processing, T0.AddMilliseconds(30)));
    }

    [Theory]
    [InlineData(ExecutionStatus.Succeeded, ExecutionStatus.Failed)]
    [InlineData(ExecutionStatus.Failed, ExecutionStatus.Succeeded)]
    [InlineData(ExecutionStatus.Succeeded, ExecutionStatus.Cancelled)]
    public void A_finished_status_is_final_until_a_requeue(ExecutionStatus stored, ExecutionStatus incoming)
    {
        Assert.False(ExecutionStatusRules.Supersedes(incoming, T0.AddMinutes(1), stored, T0));
        Assert.True(ExecutionStatusRules.Supersedes(ExecutionStatus.Enqueued, T0.AddMinutes(1), stored, T0));
    }

    [Fact]
    public void Moving_back_needs_a_newer_time()
    {
        Assert.True(ExecutionStatusRules.Supersedes(ExecutionStatus.Scheduled, T0.AddSeconds(1), ExecutionStatus.Processing, T0));
        Assert.False(ExecutionStatusRules.Supersedes(ExecutionStatus.Enqueued, T0, ExecutionStatus.Processing, T0.AddSeconds(1)));
        Assert.True(ExecutionStatusRules.Supersedes(ExecutionStatus.Processing, T0.AddMinutes(5), ExecutionStatus.Processing, T0));
    }

    [Fact]
    public void Repeating_the_same_write_does_not_apply_twice() =>
        Assert.False(ExecutionStatusRules.Supersedes(ExecutionStatus.Processing, T0, ExecutionStatus.Processing, T0));
}
