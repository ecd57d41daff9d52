using System.Diagnostics.Metrics;

namespace AsyncFunctions.Telemetry;

/// <summary>The metrics of admission (concurrency and rate limits), on the executions' meter, tagged with the function.</summary>
public static class FlowTelemetry
{
    public static readonly Counter<long> Waiting = ExecutionTelemetry.Meter.CreateCounter<long>("asyncfunctions.flow.waiting", "{execution}", "Executions that found a concurrency limit full and began to wait.");

    public static readonly Counter<long> Admitted = ExecutionTelemetry.Meter.CreateCounter<long>("asyncfunctions.flow.admitted", "{execution}", "Waiting executions handed a freed slot.");

    public static readonly Counter<long> Delayed = ExecutionTelemetry.Meter.CreateCounter<long>("asyncfunctions.flow.delayed", "{execution}", "Starts a rate limit moved to a later window.");

    public static readonly Histogram<double> WaitTime = ExecutionTelemetry.Meter.CreateHistogram<double>("asyncfunctions.flow.wait_time", "ms", "How long an execution waited for its slots.");
}
