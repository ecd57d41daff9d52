using AsyncFunctions.Hangfire.Nodes;
using Hangfire;

namespace AsyncFunctions.AspNetCore.Dashboard;

/// <summary>The takeovers in a job's history: each requeue by <see cref="ExecutionTakeover"/> names the dead node in its reason.</summary>
internal static class NodeTakeovers
{
    public static IReadOnlyList<string> Of(IServiceProvider services, string id)
    {
        global::Hangfire.Storage.Monitoring.JobDetailsDto? details;
        try
        {
            details = services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(id);
        }
#pragma warning disable CA1031 // A job store that cannot read this id (a sync run's id on a numeric store) has no history for it.
        catch (Exception)
#pragma warning restore CA1031
        {
            return [];
        }

        return details?.History?
            .Where(h => h.Reason?.StartsWith(ExecutionTakeover.ReasonPrefix, StringComparison.Ordinal) == true)
            .OrderBy(h => h.CreatedAt)
            .Select(h => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{h.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC: {h.Reason}"))
            .ToList() ?? [];
    }
}
