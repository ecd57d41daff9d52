using AsyncFunctions.Running;
using Hangfire;
using Hangfire.Server;

namespace AsyncFunctions.Hangfire.Jobs;

/// <summary>
/// The one Hangfire job type. Its only argument is the function name (shown as the job's
/// display name in the dashboard); the execution id is the job id and the input lives in the
/// results table.
/// </summary>
public sealed class ExecutionJob(IExecutionService executions, OutputHandOff outputs)
{
    [JobDisplayName("{0}")]
    public async Task RunAsync(string function, PerformContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.BackgroundJob.Id;
        var output = await executions.RunQueuedAsync(id, cancellationToken).ConfigureAwait(false);
        outputs.Put(id, output);
    }
}
