using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AsyncFunctions.Telemetry;

/// <summary>
/// The traces and metrics of schedules, on the same source and meter as executions: one span per
/// occurrence (the execution's runs are its children), tagged with the schedule, and counters of
/// the occurrences fired, skipped and failed, tagged with the schedule's name.
/// </summary>
public static class ScheduleTelemetry
{
    public static readonly Counter<long> Fired = ExecutionTelemetry.Meter.CreateCounter<long>("asyncfunctions.schedules.fired", "{occurrence}", "Occurrences of schedules that started an execution.");

    public static readonly Counter<long> Skipped = ExecutionTelemetry.Meter.CreateCounter<long>("asyncfunctions.schedules.skipped", "{occurrence}", "Occurrences skipped because the schedule's previous execution had not finished (overlap \"skip\").");

    public static readonly Counter<long> Failed = ExecutionTelemetry.Meter.CreateCounter<long>("asyncfunctions.schedules.failed", "{occurrence}", "Occurrences whose execution failed for good, or that could not start one.");

    public static KeyValuePair<string, object?> Schedule(string name) => new("schedule", name);

    /// <summary>Starts the span of one occurrence; null while nothing listens.</summary>
    public static Activity? StartOccurrence(string schedule, string function, DateTimeOffset scheduledFor)
    {
        if (!ExecutionTelemetry.Source.HasListeners())
        {
            return null;
        }

        // A root of its own: an occurrence is started by the clock, not by whatever ran before on this thread.
        var activity = ExecutionTelemetry.Source.StartActivity(ActivityKind.Producer, default(ActivityContext), name: "schedule " + schedule);
        activity?.SetTag("asyncfunctions.schedule", schedule);
        activity?.SetTag("asyncfunctions.function", function);
        activity?.SetTag("asyncfunctions.schedule.scheduled_for", scheduledFor.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return activity;
    }
}
