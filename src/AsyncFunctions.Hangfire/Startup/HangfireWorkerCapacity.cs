using AsyncFunctions.Running;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>This node's Hangfire workers, from <c>AsyncFunctions:Server:WorkerCount</c>.</summary>
public sealed class HangfireWorkerCapacity(IOptions<ServerOptions> options) : IWorkerCapacity
{
    public int Workers => options.Value.WorkerCount;
}
