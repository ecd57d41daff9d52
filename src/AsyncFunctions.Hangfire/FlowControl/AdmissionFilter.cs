using AsyncFunctions.FlowControl;
using AsyncFunctions.Hangfire.Filters;
using AsyncFunctions.Hangfire.States;
using AsyncFunctions.Executions;
using AsyncFunctions.Telemetry;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.FlowControl;

/// <summary>
/// Admission at the moment a limited execution's job would become Enqueued, whatever makes it so:
/// its creation, a retry or a delayed start coming due, a resume, a node takeover, a schedule
/// occurrence, a requeue from the dashboard. Runs under the job's lock, after the other election
/// filters. The store either gives it a slot of each concurrency limit (it is queued) or records it
/// as a waiter (the job becomes <see cref="WaitingState"/>, with no queue and no worker). The rate
/// limit is checked when a worker is about to start the job (the Processing candidate): over it,
/// the next free window is reserved and the job is scheduled for it, freeing the worker. The keys come from the
/// ticket kept as a job parameter at the start, so every re-entry uses the same ones.
/// </summary>
public sealed class AdmissionFilter(IFlowAdmissionStore store, TimeProvider time) : IElectStateFilter
{
    /// <summary>After the debounce claim (<see cref="Filters.DebounceClaimFilter.FilterOrder"/>), before the queue is set (<see cref="Jobs.ExecutionQueue.FilterOrder"/>).</summary>
    public const int FilterOrder = 9_500;

    /// <summary>The job parameter holding the execution's <see cref="AdmissionTicket"/> (JSON).</summary>
    public const string TicketParameter = "AsyncFunctions.Admission";

    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var starting = context.CandidateState is ProcessingState;
        if (context.CandidateState is not EnqueuedState && !starting)
        {
            return;
        }

        var created = context.CandidateState as NewExecutionState;
        var ticket = created is not null ? created.Ticket : AdmissionTicket.Parse(context.GetJobParameter<string>(TicketParameter, allowStale: true));
        // Concurrency when the job is queued (a waiter needs no worker); the rate limit when a
        // worker starts it, so the window counts real starts.
        ticket = starting
            ? ticket is { Rate: not null } ? ticket with { Slots = [] } : null
            : ticket is { Slots.Count: > 0 } ? ticket with { Rate = null } : null;
        if (ticket is null)
        {
            return;
        }

        // A start is counted at the very time its record shows as startedAt.
        var now = context.CandidateState is ProcessingState processing
            ? new DateTimeOffset(DateTime.SpecifyKind(processing.StartedAt, DateTimeKind.Utc))
            : time.GetUtcNow();
        var outcome = Blocking.Wait(store.AdmitAsync(context.BackgroundJob.Id, ticket, now));
        switch (outcome.Verdict)
        {
            case AdmissionVerdict.Waiting:
                FlowTelemetry.Waiting.Add(1, FlowTelemetry.Tags(ticket.Function, QueueOf(context, created)));
                var reason = "Waiting for a slot: " + outcome.WaitingFor;
                if (created is not null)
                {
                    created.CreatedAs = ExecutionStatus.Waiting;
                    context.CandidateState = new NewWaitingExecutionState(created, outcome.WaitingFor ?? "", now) { Reason = reason };
                }
                else
                {
                    context.CandidateState = new WaitingState(outcome.WaitingFor ?? "", now) { Reason = reason };
                }

                break;
            case AdmissionVerdict.Delayed:
                FlowTelemetry.Delayed.Add(1, FlowTelemetry.Tags(ticket.Function, QueueOf(context, created)));
                var at = outcome.NotBefore!.Value.UtcDateTime;
                var delayReason = "Delayed by its " + outcome.WaitingFor;
                if (created is not null)
                {
                    created.CreatedAs = ExecutionStatus.Scheduled;
                    context.CandidateState = new NewRateDelayedExecutionState(created, at) { Reason = delayReason };
                }
                else
                {
                    context.CandidateState = new RateDelayedState(at) { Reason = delayReason };
                }

                break;
        }
    }

    /// <summary>The execution's queue, for the metrics: a new execution's state has it; a later one reads the job parameter <see cref="Jobs.ExecutionQueue"/> keeps.</summary>
    private static string QueueOf(ElectStateContext context, NewExecutionState? created) =>
        created?.Queue ?? context.GetJobParameter<string>(Jobs.ExecutionQueue.ParameterName, allowStale: true) ?? FunctionFlow.DefaultQueue;
}
