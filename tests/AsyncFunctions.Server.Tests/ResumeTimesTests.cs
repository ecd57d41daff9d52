using System.Globalization;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// A suspended execution's times through its resume: the start of its attempt stays, and the
/// resumed run's start is recorded beside it, and shown on the job's page.
/// </summary>
public sealed class ResumeTimesTests
{
    [Fact]
    public async Task A_resumed_parent_keeps_the_start_of_its_attempt_and_records_when_it_resumed()
    {
        using var app = new TestApp(settings: new Dictionary<string, string?> { ["AsyncFunctions:Execution:ResumeSweepInterval"] = "00:00:00.100" });
        await app.SaveStackAsync("""
            { "name": "resume.times",
              "inputs": [ { "name": "gate", "type": "text", "required": true } ],
              "stack": [
                { "var": "ids", "value": [] },
                { "call": "tests.gated", "async": true, "input": { "gate": "=$input.gate", "value": 1 }, "as": "id" },
                { "set": "ids", "op": "push", "value": "=$var.id" },
                { "await": "=$var.ids", "timeoutSeconds": 600, "as": "outputs" } ],
              "response": "=$var.outputs" }
            """);
        var gate = Guid.NewGuid().ToString("N");

        var parent = await app.StartAsync("resume.times", new { gate });
        var waiting = await app.WaitForAsync(parent, r => r["status"]!.GetValue<string>() == "Awaiting");
        var started = Time(waiting["startedAt"]!.GetValue<string>());
        Assert.Null(waiting["resumedAt"]);
        TestFunctions.Gates.Release(gate);

        var result = (await app.AwaitAsync([parent], timeoutSeconds: 120))["results"]![0]!;
        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        var record = await app.GetAsync($"/api/executions/{parent}");
        Assert.Equal(1, record["resumes"]!.GetValue<int>());
        Assert.Equal(started, Time(record["startedAt"]!.GetValue<string>()));
        Assert.True(Time(record["resumedAt"]!.GetValue<string>()) > started, $"resumed at {record["resumedAt"]}, started at {started:O}");
        Assert.Contains("<dt>Last resumed</dt>", await app.GetHtmlAsync($"/hangfire/jobs/details/{parent}"), StringComparison.Ordinal);
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
