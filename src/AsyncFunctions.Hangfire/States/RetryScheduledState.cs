using AsyncFunctions.Executions;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.States;

/// <summary>
/// Hangfire's Scheduled state as the retry filter elects it for a failed attempt: it carries the
/// attempt's error to the state filter, which records it with the <c>Scheduled</c> status.
/// </summary>
public sealed class RetryScheduledState(TimeSpan delay, ExecutionError error) : ScheduledState(delay)
{
    public ExecutionError Error { get; } = error;
}
