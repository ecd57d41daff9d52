using AsyncFunctions.Hangfire.Jobs;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Hangfire.Webhooks;

/// <summary>
/// Queues delivery jobs. An execution with a callback URL runs as
/// <see cref="ExecutionJob.RunWithCallbackAsync"/>: the job's method, which every state change
/// already holds, tells the state filter to queue a delivery without reading anything, so an
/// execution without a callback costs nothing more.
/// </summary>
public sealed class WebhookJobs(IServiceProvider services)
{
    // Resolved at first use: the job client needs the filter provider, which holds the state filter that uses this.
    private readonly Lazy<IBackgroundJobClient> _jobs = new(services.GetRequiredService<IBackgroundJobClient>);

    public static bool HasCallback(Job? job) => job?.Method.Name == nameof(ExecutionJob.RunWithCallbackAsync);

    public void Enqueue(string executionId) =>
        _jobs.Value.Create(Job.FromExpression<WebhookDeliveryJob>(j => j.DeliverAsync(executionId, null!, CancellationToken.None)), new EnqueuedState());
}
