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
    public void Repeating_the_same_write_does_not_apply_twice() =>
        Assert.False(ExecutionStatusRules.Supersedes(ExecutionStatus.Processing, T0, ExecutionStatus.Processing, T0));
}
