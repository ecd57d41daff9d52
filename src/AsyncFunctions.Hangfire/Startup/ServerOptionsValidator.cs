using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>Stops the start with a message naming the bad key.</summary>
public sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var failures = new List<string>();
        if (options.WorkerCount is < 0 or > 1000)
        {
            failures.Add($"{ServerOptions.Section}:WorkerCount must be between 0 and 1000 (0 makes an API-only node); it is {options.WorkerCount}.");
        }

        if (options.JobCreationThreads is < 1 or > 256)
        {
            failures.Add($"{ServerOptions.Section}:JobCreationThreads must be between 1 and 256; it is {options.JobCreationThreads}.");
        }

        if (options.SchedulePollingInterval <= TimeSpan.Zero)
        {
            failures.Add($"{ServerOptions.Section}:SchedulePollingInterval must be positive.");
        }

        if (options.CancellationCheckInterval <= TimeSpan.Zero)
        {
            failures.Add($"{ServerOptions.Section}:CancellationCheckInterval must be positive.");
        }

        if (options.HeartbeatInterval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"{ServerOptions.Section}:HeartbeatInterval must be at least 00:00:00.1; it is {options.HeartbeatInterval}.");
        }
        else if (options.NodeTimeout <= 2 * options.HeartbeatInterval)
        {
            failures.Add($"{ServerOptions.Section}:NodeTimeout must be more than twice {ServerOptions.Section}:HeartbeatInterval ({options.HeartbeatInterval}), so one late heartbeat does not get a living node's work taken over; it is {options.NodeTimeout}.");
        }

        if (options.QueueCheckInterval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"{ServerOptions.Section}:QueueCheckInterval must be at least 00:00:00.1; it is {options.QueueCheckInterval}.");
        }

        failures.AddRange(QueuePlan.Problems(options.Queues, options.WorkerCount, $"{ServerOptions.Section}:Queues"));

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
