using System.Diagnostics;
using System.Diagnostics.Metrics;
using AsyncFunctions.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace AsyncFunctions.Server.Tests;

/// <summary>Each occurrence is a span tagged with its schedule, the execution's runs under it; fired and skipped occurrences are counted.</summary>
public sealed class ScheduleTelemetryTests
{
    [Fact]
    public async Task An_occurrence_is_a_span_of_its_schedule_with_the_run_under_it_and_is_counted()
    {
        var name = ScheduleClient.NewName("traced");
        var gate = Guid.NewGuid().ToString("N");
        var spans = new List<Activity>();
        var counted = new List<(string Instrument, string? Schedule)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ExecutionTelemetry.Name && instrument.Name.StartsWith("asyncfunctions.schedules.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            var schedule = tags.ToArray().FirstOrDefault(t => t.Key == "schedule").Value as string;
            lock (counted)
            {
                counted.Add((instrument.Name, schedule));
            }
        });
        meters.Start();
        using var app = new TestApp(services: s => s.AddOpenTelemetry().WithTracing(t => t.AddSource(ExecutionTelemetry.Name).AddInMemoryExporter(spans)));

        await app.PutScheduleAsync(name, new { function = "tests.gated", input = new { gate }, cron = "* * * * * *" });
        await TestApp.WaitUntilAsync(async () => (await app.GetAsync($"/api/schedules/{name}"))["skippedRuns"]!.GetValue<long>() >= 1);
        TestFunctions.Gates.Release(gate);
        var occurrence = (await app.WaitForOccurrencesAsync(name, 1, ScheduleClient.IsSucceeded)).First(ScheduleClient.IsSucceeded);
        await app.PostScheduleAsync(name, "pause");
        var id = occurrence["id"]!.GetValue<string>();

        List<Activity> Snapshot()
        {
            lock (spans)
            {
                return spans.ToList();
            }
        }

        await TestApp.WaitUntilAsync(() => Task.FromResult(Snapshot().Any(a => a.DisplayName == "run tests.gated" && Tag(a, "asyncfunctions.execution.id") == id)));
        var all = Snapshot();
        var span = all.Single(a => a.DisplayName == $"schedule {name}" && Tag(a, "asyncfunctions.execution.id") == id);
        Assert.Equal(name, Tag(span, "asyncfunctions.schedule"));
        var run = all.Single(a => a.DisplayName == "run tests.gated" && Tag(a, "asyncfunctions.execution.id") == id);
        Assert.Equal(span.SpanId, run.ParentSpanId);
        Assert.Equal(span.TraceId, run.TraceId);

        lock (counted)
        {
            Assert.Contains(("asyncfunctions.schedules.fired", name), counted);
            Assert.Contains(("asyncfunctions.schedules.skipped", name), counted);
        }
    }

    [Fact]
    public async Task An_occurrence_whose_execution_fails_is_counted_as_failed_for_its_schedule()
    {
        var name = ScheduleClient.NewName("failing");
        var counted = new List<(string Instrument, string? Schedule)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ExecutionTelemetry.Name && instrument.Name == "asyncfunctions.schedules.failed")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            var schedule = tags.ToArray().FirstOrDefault(t => t.Key == "schedule").Value as string;
            lock (counted)
            {
                counted.Add((instrument.Name, schedule));
            }
        });
        meters.Start();
        using var app = new TestApp();

        await app.PutScheduleAsync(name, new { function = "examples.fail", input = new { message = "boom" }, cron = "* * * * * *" });
        await app.WaitForOccurrencesAsync(name, 1, e => e["status"]!.GetValue<string>() == "Failed");
        await app.PostScheduleAsync(name, "pause");

        await TestApp.WaitUntilAsync(() =>
        {
            lock (counted)
            {
                return Task.FromResult(counted.Contains(("asyncfunctions.schedules.failed", name)));
            }
        });
    }

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name) as string;
}
