using AsyncFunctions.FlowControl;
using AsyncFunctions.Recording;
using AsyncFunctions.Storage;
using AsyncFunctions.Storage.FlowControl;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AsyncFunctions.Hangfire.FlowControl;

/// <summary>Registers admission: the store, the election filter, the slot release and the wake-ups (whose hosted service is added after the schema's).</summary>
internal static class AdmissionComposition
{
    public static void AddAdmission(IServiceCollection services)
    {
        services.TryAddSingleton<IFlowAdmissionStore>(sp => new DapperFlowAdmissionStore(sp.GetRequiredService<SqlDialect>()));
        services.TryAddSingleton<AdmissionFilter>();
        services.TryAddSingleton<FlowWakeUps>();
        services.TryAddSingleton<FlowWakeUpQueue>();
        services.TryAddSingleton<IFlowWakeUps>(sp => sp.GetRequiredService<FlowWakeUpQueue>());
        services.AddSingleton<IStatusChangeObserver, FlowSlotRelease>();
        services.AddOptions<AdmissionOptions>().BindConfiguration(AdmissionOptions.Section)
            .Validate(o => o.SweepInterval >= TimeSpan.FromMilliseconds(100), $"{AdmissionOptions.Section}:SweepInterval must be at least 00:00:00.1.")
            .Validate(o => o.OrphanAge >= TimeSpan.FromSeconds(10), $"{AdmissionOptions.Section}:OrphanAge must be at least 00:00:10.")
            .ValidateOnStart();
    }
}
