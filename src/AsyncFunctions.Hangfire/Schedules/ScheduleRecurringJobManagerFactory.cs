using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Hangfire.Schedules;

/// <summary>
/// Gives the dashboard (which asks this factory first) and anything resolving
/// <see cref="IRecurringJobManager"/> a <see cref="ScheduleRecurringJobManager"/> over this host's
/// storage and filters, in place of Hangfire's default factory.
/// </summary>
public sealed class ScheduleRecurringJobManagerFactory(IServiceProvider services) : IRecurringJobManagerFactoryV2, IRecurringJobManagerFactory
{
    public IRecurringJobManagerV2 GetManagerV2(JobStorage storage)
    {
        var schedules = services.GetRequiredService<ScheduleService>();
        var inner = ReferenceEquals(storage, schedules.Manager.Storage) ? schedules.Manager : new RecurringJobManager(storage, services.GetRequiredService<global::Hangfire.Common.IJobFilterProvider>());
        return new ScheduleRecurringJobManager(inner, schedules, services.GetRequiredService<ILogger<ScheduleRecurringJobManager>>());
    }

    public IRecurringJobManager GetManager(JobStorage storage) => GetManagerV2(storage);
}
