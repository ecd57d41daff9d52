using System.Diagnostics.Metrics;
using AsyncFunctions.Telemetry;

namespace AsyncFunctions.Server.Tests;

/// <summary>The <c>asyncfunctions.flow.*</c> metrics are tagged with the function and the queue that carries its executions.</summary>
public sealed class FlowTelemetryTests
{
    [Fact]
    public async Task Waiting_admitted_delayed_and_wait_time_are_tagged_with_function_and_queue()
    {
        var seen = new List<(string Instrument, string? Function, string? Queue)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ExecutionTelemetry.Name && instrument.Name.StartsWith("asyncfunctions.flow.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };

        void Note(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var all = tags.ToArray();
            var function = all.FirstOrDefault(t => t.Key == "function").Value as string;
            if (function?.StartsWith("flowtags.", StringComparison.Ordinal) != true)
            {
                return;
            }

            lock (seen)
            {
                seen.Add((instrument.Name, function, all.FirstOrDefault(t => t.Key == "queue").Value as string));
            }
        }

        meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Note(instrument, tags));
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Note(instrument, tags));
        meters.Start();
        using var app = new TestApp(workers: 2, settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Server:Queues:0"] = "default",
            ["AsyncFunctions:Server:Queues:1"] = "flowtags",
        });
        await app.SaveStackAsync("""{ "name": "flowtags.limited", "queue": "flowtags", "concurrency": { "limit": 1 }, "stack": [ { "sleep": 300 } ], "response": "=1" }""");
        await app.SaveStackAsync("""{ "name": "flowtags.rated", "queue": "flowtags", "rateLimit": { "limit": 1, "periodSeconds": 600 }, "stack": [], "response": "=1" }""");

        var limited = new List<string>();
        var rated = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            limited.Add(await app.StartAsync("flowtags.limited", new { }));
            rated.Add(await app.StartAsync("flowtags.rated", new { }));
        }

        foreach (var id in limited)
        {
            await app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Succeeded");
        }

        // The second rated start is delayed to the next window, ten minutes on: the test does not wait for it to run.
        await app.WaitForAsync(rated[1], r => r["status"]!.GetValue<string>() == "Scheduled");

        List<(string Instrument, string? Function, string? Queue)> Seen()
        {
            lock (seen)
            {
                return seen.ToList();
            }
        }

        Assert.Contains(("asyncfunctions.flow.waiting", "flowtags.limited", "flowtags"), Seen());
        Assert.Contains(("asyncfunctions.flow.admitted", "flowtags.limited", "flowtags"), Seen());
        Assert.Contains(("asyncfunctions.flow.wait_time", "flowtags.limited", "flowtags"), Seen());
        Assert.Contains(("asyncfunctions.flow.delayed", "flowtags.rated", "flowtags"), Seen());
        Assert.All(Seen(), s => Assert.Equal("flowtags", s.Queue));
    }
}
