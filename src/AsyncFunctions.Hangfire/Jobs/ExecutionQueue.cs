using AsyncFunctions.FlowControl;
using AsyncFunctions.Hangfire.States;
using Hangfire.Common;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.Jobs;

/// <summary>
/// Keeps every enqueue of an execution on the execution's queue. The queue is chosen once, at the
/// start (the function's, or the start's allowed override), written on the row and, when it is
/// not <c>default</c>, kept as the job parameter <see cref="ParameterName"/>. This election filter
/// then sets it on every <see cref="EnqueuedState"/> the job is moved to later, whoever makes the
/// change: Hangfire's scheduler (a delayed start's time, a retry's delay), a resume, a node's
/// takeover, the API's or the dashboard's requeue, an admission that releases a waiting execution.
/// So no caller has to know the queue when it writes <c>new EnqueuedState()</c>. It runs after
/// the other election filters, so it also sees an Enqueued state one of them elected.
/// </summary>
public sealed class ExecutionQueue : IElectStateFilter
{
    /// <summary>The job parameter that holds a queue other than <c>default</c>; its absence means <c>default</c>.</summary>
    public const string ParameterName = "AsyncFunctions.Queue";

    /// <summary>After every other filter (Hangfire runs election filters in ascending order).</summary>
    public const int FilterOrder = 10_000;

    /// <summary>The job parameter to write at a start on <paramref name="queue"/>, or null when none is needed.</summary>
    public static string? Parameter(string queue) =>
        string.Equals(queue, FunctionFlow.DefaultQueue, StringComparison.Ordinal) ? null : queue;

    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A new execution's state was given its queue where it was made; reading it back would cost a round trip.
        if (context.CandidateState is not EnqueuedState enqueued || context.CandidateState is INewExecutionState)
        {
            return;
        }

        var queue = context.GetJobParameter<string>(ParameterName, allowStale: true) ?? FunctionFlow.DefaultQueue;
        if (!string.Equals(enqueued.Queue, queue, StringComparison.Ordinal) && QueueName.IsValid(queue))
        {
            enqueued.Queue = queue;
        }
    }
}
