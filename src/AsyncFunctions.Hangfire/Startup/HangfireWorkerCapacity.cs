using AsyncFunctions.Running;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// This node's Hangfire workers: <c>AsyncFunctions:Server:WorkerCount</c> shared ones plus the
/// workers of the queues that have their own (<c>AsyncFunctions:Server:Queues</c>).
/// </summary>
public sealed class HangfireWorkerCapacity(IOptions<ServerOptions> options) : IWorkerCapacity
{
    public int Workers
    {
        get
        {
            var settings = options.Value;
            return settings.WorkerCount == 0 ? 0 : QueuePlan.From(settings.Queues, settings.WorkerCount, [AsyncFunctions.FlowControl.FunctionFlow.DefaultQueue]).Workers;
        }
    }
}
