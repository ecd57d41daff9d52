using Hangfire;
using Hangfire.Dashboard;

namespace AsyncFunctions.AspNetCore.Dashboard;

/// <summary>
/// Where a link to an execution goes: its Hangfire job's page while the job exists, otherwise
/// the execution's own page (sync runs have no job; finished jobs expire).
/// </summary>
internal sealed class ExecutionLinks(JobStorage storage, UrlHelper url)
{
    private readonly Dictionary<string, bool> _hasJob = new(StringComparer.Ordinal);

    public string To(string id) => HasJob(id) ? url.JobDetails(id) : Page(id);

    public string Page(string id) => url.To(ExecutionDashboard.ExecutionsPath + "/" + Uri.EscapeDataString(id));

    public string Job(string id) => url.JobDetails(id);

    public string List(string query) => url.To(ExecutionDashboard.ExecutionsPath) + query;

    public bool HasJob(string id)
    {
        if (!_hasJob.TryGetValue(id, out var has))
        {
            has = _hasJob[id] = Lookup(id);
        }

        return has;
    }

    private bool Lookup(string id)
    {
        try
        {
            using var connection = storage.GetConnection();
            return connection.GetJobData(id) is not null;
        }
#pragma warning disable CA1031 // A job store that cannot read this id (a sync run's id on a numeric store) has no job for it.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
