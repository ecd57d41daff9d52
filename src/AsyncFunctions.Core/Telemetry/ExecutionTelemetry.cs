using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AsyncFunctions.Telemetry;

/// <summary>
/// The traces and metrics of executions, on .NET's own <see cref="ActivitySource"/> and
/// <see cref="Meter"/>: any OpenTelemetry SDK (or a plain listener) picks them up by name, and
/// nothing is recorded while nobody listens. Every instrument is tagged with the function.
/// </summary>
public static class ExecutionTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "AsyncFunctions";

    /// <summary>The job parameter that carries the W3C trace context of the span that started an execution.</summary>
    public const string TraceParentParameter = "traceparent";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Started = Meter.CreateCounter<long>("asyncfunctions.executions.started", "{execution}", "Executions started, async or sync.");

    public static readonly Counter<long> Succeeded = Meter.CreateCounter<long>("asyncfunctions.executions.succeeded", "{execution}", "Executions that succeeded.");

    public static readonly Counter<long> Failed = Meter.CreateCounter<long>("asyncfunctions.executions.failed", "{execution}", "Executions that failed for good.");

    public static readonly Counter<long> Retried = Meter.CreateCounter<long>("asyncfunctions.executions.retried", "{attempt}", "Failed attempts scheduled for a retry.");

    public static readonly Counter<long> Cancelled = Meter.CreateCounter<long>("asyncfunctions.executions.cancelled", "{execution}", "Executions cancelled before they finished.");

    public static readonly Counter<long> Debounced = Meter.CreateCounter<long>("asyncfunctions.executions.debounced", "{start}", "Starts of debounced functions folded into a pending execution instead of making one.");

    public static readonly Counter<long> Suspended = Meter.CreateCounter<long>("asyncfunctions.executions.suspended", "{suspension}", "Suspensions of function stacks at an await or a long sleep.");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("asyncfunctions.execution.duration", "ms", "From creation to the end, for finished executions.");

    public static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("asyncfunctions.execution.queue_wait", "ms", "From creation to the first start on a worker.");

    public static readonly Histogram<double> AwaitTime = Meter.CreateHistogram<double>("asyncfunctions.execution.await_time", "ms", "How long await steps waited; tagged suspended=true when the stack suspended meanwhile.");

    public static KeyValuePair<string, object?> Function(string function) => new("function", function);

    /// <summary>Counts a finished execution by its status and records how long it took from creation (when known).</summary>
    public static void RecordFinished(string function, Executions.ExecutionStatus status, TimeSpan? sinceCreated)
    {
        var counter = status switch
        {
            Executions.ExecutionStatus.Succeeded => Succeeded,
            Executions.ExecutionStatus.Failed => Failed,
            Executions.ExecutionStatus.Cancelled => Cancelled,
            _ => null,
        };
        if (counter is null)
        {
            return;
        }

        var tag = Function(function);
        counter.Add(1, tag);
        if (sinceCreated is { } duration)
        {
            Duration.Record(Math.Max(0, duration.TotalMilliseconds), tag);
        }
    }

    /// <summary>The trace context of the current span, to be stored with a new execution; null when nothing traces.</summary>
    public static string? CurrentTraceParent() => Activity.Current is { } current && current.IdFormat == ActivityIdFormat.W3C ? current.Id : null;

    /// <summary>Starts the span of one run of an execution, under the span that started the execution.</summary>
    public static Activity? StartRun(string executionId, string function, string? traceParent, ActivityKind kind = ActivityKind.Consumer)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(traceParent, null, out var parent);
        var activity = Source.StartActivity(kind, parent, name: "run " + function);
        activity?.SetTag("asyncfunctions.execution.id", executionId);
        activity?.SetTag("asyncfunctions.function", function);
        return activity;
    }
}
