using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AsyncFunctions.Telemetry;

/// <summary>
/// The metrics of admission (concurrency and rate limits), on the executions' meter, tagged with
/// the function and the queue that carries the execution (<see cref="Tags"/>).
/// </summary>
public static class FlowTelemetry
{
    /// <summary>The tags of a flow measurement: <c>function</c> and <c>queue</c>.</summary>
    public static TagList Tags(string function, string queue) => new() { ExecutionTelemetry.Function(function), { "queue", queue } };

    public static readonly Counter<long> Waiting = ExecutionTelemetry.Meter.CreateCounter<long>("asyncfunctions.flow.waiting", "{execution}", "Executions that found a concurrency limit full and began to wait.");

    public static readonly Counter<long> Admitted = ExecutionTelemetry.Meter.CreateCounter<long>("asyncfunctions.flow.admitted", "{execution}", "Waiting executions handed a freed slot.");

    public static readonly Counter<long> Delayed = ExecutionTelemetry.Meter.CreateCounter<long>("asyncfunctions.flow.delayed", "{execution}", "Starts a rate limit moved to a later window.");

    public static readonly Histogram<double> WaitTime = ExecutionTelemetry.Meter.CreateHistogram<double>("asyncfunctions.flow.wait_time", "ms", "How long an execution waited for its slots.");
}
