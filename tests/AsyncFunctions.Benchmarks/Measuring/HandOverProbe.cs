using System.Collections.Concurrent;
using AsyncFunctions.Recording;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Benchmarks.Measuring;

/// <summary>
/// Timestamps (wall clock, as the results row's) of the steps of a concurrency slot's hand-over,
/// for one function: the holder's final state change (its job lock and election, its row, the slot
/// released), the waiter's wake-up (the <c>ChangeState(Enqueued, expected Waiting)</c> call, its job
/// lock and election, its row, the call's return after Hangfire's commit), its start
/// (<c>ProcessingState.StartedAt</c>, right after a worker fetched it) and its Processing state change.
/// Hangfire's side is seen through a global job filter (the hosts' filter providers include
/// Hangfire's global filters) and a decorated job client; ours through status-change observers.
/// </summary>
public sealed class HandOverProbe : IElectStateFilter
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(string Step, DateTime At)>> _steps = new(StringComparer.Ordinal);
    private readonly string _function;

    public HandOverProbe(string function) => _function = function;

    /// <summary>A step of one job, if the probe saw it (the first time).</summary>
    public DateTime? At(string jobId, string step) =>
        _steps.TryGetValue(jobId, out var steps) && steps.FirstOrDefault(s => s.Step == step) is { Step: not null } found ? found.At : null;

    public void Clear() => _steps.Clear();

    private void Mark(string jobId, string step) =>
        _steps.GetOrAdd(jobId, _ => new ConcurrentQueue<(string, DateTime)>()).Enqueue((step, DateTime.UtcNow));

    /// <summary>Adds the probe to a host: its observers and its job client decorator (call after AddAsyncFunctions).</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<IStatusChangeObserver>(new Observer(this, int.MinValue, "row"));
        services.AddSingleton<IStatusChangeObserver>(new Observer(this, StatusChangeOrder.FlowSlots + 1, "released"));
        var original = services.Last(d => d.ServiceType == typeof(IBackgroundJobClient));
        services.Remove(original);
        services.AddSingleton<IBackgroundJobClient>(sp => new Client(this, Resolve(sp, original)));
    }

    private static IBackgroundJobClient Resolve(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IBackgroundJobClient)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    public void OnStateElection(ElectStateContext context)
    {
        if (context.BackgroundJob.Job?.Args.FirstOrDefault() as string == _function)
        {
            Mark(context.BackgroundJob.Id, $"elect {context.CurrentState}>{context.CandidateState.Name}");
        }
    }

    private sealed class Observer(HandOverProbe probe, int order, string what) : IStatusChangeObserver
    {
        public int Order => order;

        public ValueTask OnRecordedAsync(RecordedStatusChange change, CancellationToken cancellationToken)
        {
            if (change.Change.Function == probe._function)
            {
                probe.Mark(change.Id, $"{what} {change.Status}");
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class Client(HandOverProbe probe, IBackgroundJobClient inner) : IBackgroundJobClientV2
    {
        private IBackgroundJobClientV2 V2 => (IBackgroundJobClientV2)inner;

        public JobStorage Storage => V2.Storage;

        public string Create(Job job, IState state) => inner.Create(job, state);

        public string Create(Job job, IState state, IDictionary<string, object> parameters) => V2.Create(job, state, parameters);

        public bool ChangeState(string jobId, IState state, string expectedState)
        {
            probe.Mark(jobId, $"call {expectedState}>{state.Name}");
            var changed = inner.ChangeState(jobId, state, expectedState);
            probe.Mark(jobId, $"return {expectedState}>{state.Name}");
            return changed;
        }
    }
}
