using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Recording;
using AsyncFunctions.Webhooks;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Hangfire.Webhooks;

/// <summary>
/// The status-change observer that queues a delivery job when an execution with a callback URL
/// reaches a final outcome, whatever ended it (its job, a sync run, a lost node, a restart). An
/// execution with a callback URL runs as <see cref="ExecutionJob.RunWithCallbackAsync"/>: the
/// job's method, which every state change already holds, says so without reading anything, so an
/// execution without a callback costs nothing more. Sources that do not know look it up.
/// The delivery job is created inside the state change, before Hangfire commits it: a crash
/// in between repeats the state change, which queues it again, and the delivery settles each
/// message once.
/// </summary>
public sealed class WebhookJobs(IServiceProvider services, ICallbackStore callbacks) : IStatusChangeObserver
{
    // Resolved at first use: the job client needs the filter provider, which holds the state filter that uses this.
    private readonly Lazy<IBackgroundJobClient> _jobs = new(services.GetRequiredService<IBackgroundJobClient>);

    public int Order => StatusChangeOrder.Webhooks;

    public static bool HasCallback(Job? job) => job?.Method.Name == nameof(ExecutionJob.RunWithCallbackAsync);

    /// <summary>
    /// Creating a delivery job runs none of our filters (they apply to executions only), so it
    /// waits for no asynchronous work: a short synchronous write, made in place.
    /// </summary>
    public void Enqueue(string executionId) =>
        _jobs.Value.Create(Job.FromExpression<WebhookDeliveryJob>(j => j.DeliverAsync(executionId, null!, CancellationToken.None)), new EnqueuedState());

    public async ValueTask OnRecordedAsync(RecordedStatusChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!change.IsNewOutcome || change.Origin.HasCallback == false)
        {
            return;
        }

        if (change.Origin.HasCallback is null && await callbacks.GetAsync(change.Id, CancellationToken.None).ConfigureAwait(false) is null)
        {
            return;
        }

        Enqueue(change.Id);
    }
}
