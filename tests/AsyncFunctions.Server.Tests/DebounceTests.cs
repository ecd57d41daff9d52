using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>Debounce: starts with the same key within the period fold into one pending execution that runs with the latest input.</summary>
public sealed class DebounceTests
{
    private const string Debounced = """
        { "name": "debounce.latest",
          "inputs": [ { "name": "n", "type": "int", "required": true }, { "name": "customer", "type": "text", "required": true } ],
          "debounce": { "periodSeconds": 2, "key": "=$input.customer" },
          "stack": [], "response": "=$input.n" }
        """;

    [Fact]
    public async Task Ten_rapid_starts_fold_into_one_run_with_the_last_input()
    {
        using var app = new TestApp();
        await app.SaveStackAsync(Debounced);
        var client = app.CreateClient();

        var answers = new List<(HttpStatusCode Status, JsonObject Record)>();
        for (var n = 0; n < 10; n++)
        {
            using var response = await client.PostAsJsonAsync("/api/functions/debounce.latest/executions", new { input = new { n, customer = "acme" } });
            answers.Add((response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject()));
        }

        Assert.Equal(HttpStatusCode.Accepted, answers[0].Status);
        Assert.False(answers[0].Record["debounced"]!.GetValue<bool>());
        Assert.All(answers.Skip(1), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers.Skip(1), a => Assert.True(a.Record["debounced"]!.GetValue<bool>()));
        var id = answers[0].Record["id"]!.GetValue<string>();
        Assert.All(answers, a => Assert.Equal(id, a.Record["id"]!.GetValue<string>()));
        Assert.Equal(9, answers[^1].Record["input"]!["n"]!.GetValue<int>());

        var outcome = await app.AwaitAsync([id], timeoutSeconds: 60);
        Assert.Equal("Succeeded", outcome["results"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(9, outcome["results"]![0]!["output"]!.GetValue<int>());
        var list = await app.GetAsync("/api/executions?function=debounce.latest");
        Assert.Single(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Different_keys_do_not_fold_and_a_start_after_the_run_makes_a_new_execution()
    {
        using var app = new TestApp();
        await app.SaveStackAsync(Debounced);

        var acme = await app.PostAsync("/api/functions/debounce.latest/executions", new { input = new { n = 1, customer = "acme" } }, HttpStatusCode.Accepted);
        var globex = await app.PostAsync("/api/functions/debounce.latest/executions", new { input = new { n = 2, customer = "globex" } }, HttpStatusCode.Accepted);
        var ids = new[] { acme["id"]!.GetValue<string>(), globex["id"]!.GetValue<string>() };
        Assert.NotEqual(ids[0], ids[1]);
        var outcome = await app.AwaitAsync(ids, timeoutSeconds: 60);
        Assert.Equal([1, 2], outcome["results"]!.AsArray().Select(r => r!["output"]!.GetValue<int>()));

        var later = await app.PostAsync("/api/functions/debounce.latest/executions", new { input = new { n = 3, customer = "acme" } }, HttpStatusCode.Accepted);
        Assert.NotEqual(ids[0], later["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Schedule_occurrences_fold_into_the_pending_execution_like_any_start()
    {
        using var app = new TestApp();
        // A period longer than the gaps between occurrences, however loaded the machine.
        await app.SaveStackAsync(Debounced.Replace("\"periodSeconds\": 2", "\"periodSeconds\": 8", StringComparison.Ordinal));
        var name = ScheduleClient.NewName("debounced");
        await app.PutScheduleAsync(name, new { function = "debounce.latest", input = new { n = 0, customer = "acme" }, cron = "* * * * * *", overlap = "allow" });

        // Several occurrences fire; each folds into the one pending execution of the key.
        var runs = new HashSet<string>();
        string? pending = null;
        await TestApp.WaitUntilAsync(async () =>
        {
            var schedule = await app.GetAsync($"/api/schedules/{name}");
            if (schedule["lastRunAt"]?.GetValue<string>() is { } at)
            {
                runs.Add(at);
                pending = schedule["lastExecutionId"]!.GetValue<string>();
            }

            return runs.Count >= 3;
        });
        // A start through the API with the same key folds into it too, and its input is the latest.
        var folded = await app.PostAsync("/api/functions/debounce.latest/executions", new { input = new { n = 7, customer = "acme" } }, HttpStatusCode.OK);
        await app.PostScheduleAsync(name, "pause");

        Assert.True(folded["debounced"]!.GetValue<bool>());
        Assert.Equal(pending, folded["id"]!.GetValue<string>());
        var outcome = await app.AwaitAsync([pending!], timeoutSeconds: 60);
        Assert.Equal("Succeeded", outcome["results"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(7, outcome["results"]![0]!["output"]!.GetValue<int>());
        var all = await app.GetAsync("/api/executions?function=debounce.latest");
        Assert.Equal(pending, Assert.Single(all["items"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(name, (await app.GetAsync($"/api/executions/{pending}"))["schedule"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_sync_run_or_a_delayed_start_of_a_debounced_function_is_refused()
    {
        using var app = new TestApp();
        await app.SaveStackAsync(Debounced);

        var sync = await app.PostAsync("/api/functions/debounce.latest/run", new { input = new { n = 1, customer = "acme" } }, HttpStatusCode.BadRequest);
        var delayed = await app.PostAsync("/api/functions/debounce.latest/executions", new { input = new { n = 1, customer = "acme" }, delaySeconds = 5 }, HttpStatusCode.BadRequest);

        Assert.Contains("runs async only", sync["errors"]!["mode"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("cannot be delayed", delayed["errors"]!["runAt"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stack_async_call_folds_into_the_pending_execution_too()
    {
        using var app = new TestApp();
        await app.SaveStackAsync(Debounced);
        await app.SaveStackAsync("""
            { "name": "debounce.caller",
              "stack": [
                { "var": "ids", "value": [] },
                { "for": 5, "index": "i", "do": [
                    { "call": "debounce.latest", "async": true, "input": { "n": "=$var.i", "customer": "acme" }, "as": "id" },
                    { "set": "ids", "op": "push", "value": "=$var.id" } ] } ],
              "response": "=$var.ids" }
            """);

        var caller = await app.StartAsync("debounce.caller", new { });
        var outcome = await app.AwaitAsync([caller], timeoutSeconds: 60);
        var ids = outcome["results"]![0]!["output"]!.AsArray().Select(i => i!.GetValue<string>()).Distinct().ToList();

        var id = Assert.Single(ids);
        var run = await app.AwaitAsync([id], timeoutSeconds: 60);
        Assert.Equal(4, run["results"]![0]!["output"]!.GetValue<int>());
    }
}
