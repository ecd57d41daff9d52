using AsyncFunctions.Executions;
using AsyncFunctions.Schedules;

namespace AsyncFunctions.Hangfire.Schedules;

/// <summary>
/// Whether an occurrence of an overlap-"skip" schedule must be skipped: its previous execution is
/// not finished yet (Awaiting included). Read from that execution's record, which every status
/// change updates, so it holds on every node whatever the job storage.
/// </summary>
internal static class ScheduleOverlapCheck
{
    public static async Task<bool> BlocksAsync(Schedule schedule, IExecutionStore executions, CancellationToken cancellationToken)
    {
        if (schedule.Overlap != ScheduleOverlap.Skip || schedule.LastExecutionId is not { } last)
        {
            return false;
        }

        var record = await executions.GetAsync(last, cancellationToken).ConfigureAwait(false);
        return record is not null && !record.Status.IsTerminal();
    }
}
