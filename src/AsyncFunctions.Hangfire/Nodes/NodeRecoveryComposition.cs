using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Nodes;
using AsyncFunctions.Storage;
using AsyncFunctions.Storage.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AsyncFunctions.Hangfire.Nodes;

/// <summary>Registers node heartbeats and the takeover of dead nodes' work (see docs/node-recovery.md).</summary>
public static class NodeRecoveryComposition
{
    public static void AddNodeRecovery(IServiceCollection services)
    {
        services.TryAddSingleton<NodeIdentity>();
        services.TryAddSingleton<RunOwners>();
        services.TryAddSingleton<RunOwnership>();
        services.TryAddSingleton<ProcessingOwnerFilter>();
        services.TryAddSingleton<INodeHeartbeatStore>(sp => new DapperNodeHeartbeatStore(sp.GetRequiredService<SqlDialect>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageProvider>().CreateStaleQueueClaims?.Invoke(sp) ?? new NoStaleQueueClaims());
        services.TryAddSingleton<ExecutionTakeover>();
        services.AddHostedService<NodeHeartbeatService>();
    }
}
