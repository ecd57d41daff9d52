using AsyncFunctions.Executions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AsyncFunctions.AspNetCore.Configuration;

/// <summary>Healthy when the results table answers with every column of the applied schema.</summary>
public sealed class StorageHealthCheck(IExecutionStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
#pragma warning disable CA1031 // Any failure to reach the database means unhealthy.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("The results store cannot be reached or its schema is not applied: " + ex.Message);
        }
    }
}
