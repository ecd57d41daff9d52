using System.Globalization;
using Hangfire;

namespace AsyncFunctions.Benchmarks.Measuring;

/// <summary>A job's Hangfire state history in one line, read through the monitoring API.</summary>
public static class JobStates
{
    public static string Describe(JobStorage storage, string id)
    {
        var details = storage.GetMonitoringApi().JobDetails(id);
        if (details is null)
        {
            return "no Hangfire job";
        }

        var history = details.History
            .OrderBy(h => h.CreatedAt)
            .Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.StateName} {h.CreatedAt:HH:mm:ss.fff}{(h.Reason is null ? "" : $" ({h.Reason})")}"));
        return $"Hangfire job: {string.Join(" -> ", history)}";
    }
}
