using Hangfire.States;
using Hangfire.Storage;

namespace AsyncFunctions.Hangfire.Nodes;

/// <summary>Notes the worker of each Processing state this node applies (its own worker's), for <see cref="RunOwnership"/>.</summary>
public sealed class ProcessingOwnerFilter(RunOwners owners) : IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.NewState is ProcessingState processing && processing.WorkerId is { } worker)
        {
            owners.Started(context.BackgroundJob.Id, worker);
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
