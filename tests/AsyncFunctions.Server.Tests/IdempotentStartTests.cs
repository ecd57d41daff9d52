using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// <c>Idempotency-Key</c> on an async start: one execution per key, API key and request, also
/// when the starts race; a repeat answers 200 with the first execution; another body is 422.
/// </summary>
public sealed class IdempotentStartTests
{
    [Fact]
    public async Task Sixteen_parallel_starts_with_one_key_create_exactly_one_execution()
    {
        using var app = new TestApp(workers: 2);
        var key = Guid.NewGuid().ToString("N");

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => StartAsync(app.CreateClient(), key, new { input = new { value = "once" } })));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Accepted);
        Assert.Equal(15, answers.Count(a => a.Status == HttpStatusCode.OK));
        var id = answers.Single(a => a.Status == HttpStatusCode.Accepted).Record["id"]!.GetValue<string>();
        Assert.All(answers, a => Assert.Equal(id, a.Record["id"]!.GetValue<string>()));
        var listed = await app.GetAsync("/api/executions?function=examples.echo&limit=500");
        Assert.Single(listed["items"]!.AsArray());
    }

    [Fact]
    public async Task A_repeat_answers_the_first_execution_and_another_body_with_the_key_is_422()
    {
        using var app = new TestApp(workers: 1);
        var key = Guid.NewGuid().ToString("N");
        var first = await StartAsync(app.CreateClient(), key, new { input = new { value = 1 } });
        await app.WaitForAsync(first.Record["id"]!.GetValue<string>(), r => r["status"]!.GetValue<string>() == "Succeeded");

        var repeat = await StartAsync(app.CreateClient(), key, new { input = new { value = 1 } });
        var other = await StartAsync(app.CreateClient(), key, new { input = new { value = 2 } });
        var otherFunction = await StartAsync(app.CreateClient(), key, new { input = new { message = "x" } }, "examples.fail");

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(HttpStatusCode.OK, repeat.Status);
        Assert.Equal(first.Record["id"]!.GetValue<string>(), repeat.Record["id"]!.GetValue<string>());
        Assert.Equal("Succeeded", repeat.Record["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
        Assert.Equal(422, other.Record["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherFunction.Status);
    }

    [Fact]
    public async Task Keys_are_scoped_per_api_key_and_a_refused_start_frees_its_key()
    {
        using var app = new TestApp(workers: 1);
        var key = Guid.NewGuid().ToString("N");

        var bad = await StartAsync(app.ClientAs(TestKeys.Invoker), key, new { input = new { } });
        var invoker = await StartAsync(app.ClientAs(TestKeys.Invoker), key, new { input = new { value = 1 } });
        var other = await StartAsync(app.ClientAs(TestKeys.OtherInvoker), key, new { input = new { value = 1 } });
        var sync = await StartAsync(app.CreateClient(), key, new { input = new { value = 1 }, mode = "sync" });

        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal(HttpStatusCode.Accepted, invoker.Status);
        Assert.Equal(HttpStatusCode.Accepted, other.Status);
        Assert.NotEqual(invoker.Record["id"]!.GetValue<string>(), other.Record["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, sync.Status);
        Assert.NotNull(sync.Record["errors"]!["Idempotency-Key"]);
    }

    [Fact]
    public async Task A_key_past_the_retention_window_starts_a_new_execution()
    {
        using var app = new TestApp(workers: 1, settings: new Dictionary<string, string?> { ["AsyncFunctions:Api:IdempotencyRetention"] = "00:00:01" });
        var key = Guid.NewGuid().ToString("N");
        var first = await StartAsync(app.CreateClient(), key, new { input = new { value = 1 } });
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var later = await StartAsync(app.CreateClient(), key, new { input = new { value = 2 } });

        Assert.Equal(HttpStatusCode.Accepted, later.Status);
        Assert.NotEqual(first.Record["id"]!.GetValue<string>(), later.Record["id"]!.GetValue<string>());
    }

    private static async Task<(HttpStatusCode Status, JsonObject Record)> StartAsync(HttpClient client, string key, object body, string function = "examples.echo")
    {
        using (client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/functions/{function}/executions") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
        }
    }
}
