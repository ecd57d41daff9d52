using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Hangfire.Webhooks;
using Hangfire;
using Hangfire.Common;

namespace AsyncFunctions.Hangfire.Filters;

/// <summary>
/// The job filters of this host, given to Hangfire through DI instead of being added to the
/// static <c>GlobalJobFilters</c>, so two hosts in one process (tests, benchmarks) never share
/// filters bound to another host's results table. Hangfire's stateless defaults (statistics,
/// continuations, culture) are kept; its AutomaticRetry is replaced by <see cref="ExecutionRetryFilter"/>, and for webhook deliveries by <see cref="WebhookRetry"/>.
/// </summary>
public sealed class ExecutionFilterProvider(ExecutionStateFilter states, ExecutionRetryFilter retries, ExecutionSuspensionFilter suspensions, WebhookRetry webhookRetry, Schedules.ScheduleOccurrenceFilter occurrences, Nodes.ProcessingOwnerFilter owners, ExecutionQueue queues, DebounceClaimFilter debounces, FlowControl.AdmissionFilter admission) : IJobFilterProvider
{
    private readonly JobFilter[] _ours =
    [
        new(states, JobFilterScope.Global, null),
        new(retries, JobFilterScope.Global, null),
        new(suspensions, JobFilterScope.Global, null),
        new(occurrences, JobFilterScope.Global, null),
        new(owners, JobFilterScope.Global, null),
        new(debounces, JobFilterScope.Global, DebounceClaimFilter.FilterOrder),
        // After the other election filters (a resume at once, a retry due, a debounce claim), before the queue is set.
        new(admission, JobFilterScope.Global, FlowControl.AdmissionFilter.FilterOrder),
        new(queues, JobFilterScope.Global, ExecutionQueue.FilterOrder),
    ];

    private readonly JobFilter[] _webhooks = [new(webhookRetry.Create(), JobFilterScope.Global, null)];

    public IEnumerable<JobFilter> GetFilters(Job job)
    {
        var defaults = JobFilterProviders.Providers.GetFilters(job).Where(f => f.Instance is not AutomaticRetryAttribute);
        return job?.Type == typeof(ExecutionJob) ? defaults.Concat(_ours)
            : job?.Type == typeof(WebhookDeliveryJob) ? defaults.Concat(_webhooks)
            : defaults;
    }
}
