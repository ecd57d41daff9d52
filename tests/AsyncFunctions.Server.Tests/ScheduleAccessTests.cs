using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The schedule endpoints against every kind of caller: admin manages every schedule; an invoker
/// manages the schedules its key created (another key's is 404, or 403 when it tries to replace
/// it) and their occurrences run with its key as caller; a viewer reads.
/// </summary>
public sealed class ScheduleAccessTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    public static TheoryData<string, string, string, HttpStatusCode> Matrix()
    {
        var data = new TheoryData<string, string, string, HttpStatusCode>();
        void Row(string method, string path, HttpStatusCode admin, HttpStatusCode invoker, HttpStatusCode viewer)
        {
            data.Add("admin", method, path, admin);
            data.Add("invoker", method, path, invoker);
            data.Add("viewer", method, path, viewer);
            data.Add("none", method, path, HttpStatusCode.Unauthorized);
            data.Add("wrong", method, path, HttpStatusCode.Unauthorized);
        }

        // {admin-schedule}: a schedule the admin key created; {fresh}: a name not used yet.
        Row("GET", "/api/schedules", HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK);
        Row("GET", "/api/schedules/{admin-schedule}", HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.OK);
        Row("PUT", "/api/schedules/{fresh}", HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Forbidden);
        Row("PUT", "/api/schedules/{admin-schedule}", HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden);
        Row("DELETE", "/api/schedules/{admin-schedule}", HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
        Row("POST", "/api/schedules/{admin-schedule}/trigger", HttpStatusCode.Accepted, HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
        Row("POST", "/api/schedules/{admin-schedule}/pause", HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
        Row("POST", "/api/schedules/{admin-schedule}/resume", HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
        Row("GET", "/api/executions?schedule={admin-schedule}", HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_gets_what_its_role_allows(string caller, string method, string path, HttpStatusCode expected)
    {
        var adminSchedule = ScheduleClient.NewName("adm");
        await _app.PutScheduleAsync(adminSchedule, Body(1));
        using var request = new HttpRequestMessage(new HttpMethod(method), path
            .Replace("{admin-schedule}", adminSchedule, StringComparison.Ordinal)
            .Replace("{fresh}", ScheduleClient.NewName("fresh"), StringComparison.Ordinal));
        if (method == "PUT")
        {
            request.Content = JsonContent.Create(Body(2), options: TestApp.Json);
        }

        using var client = _app.ClientAs(KeyOf(caller));
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == expected, $"{caller} {method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if ((int)expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task An_invoker_manages_its_own_schedule_whose_occurrences_run_with_its_key()
    {
        var name = ScheduleClient.NewName("inv");
        await _app.PutScheduleAsync(name, Body(1), key: TestKeys.Invoker);
        using var invoker = _app.ClientAs(TestKeys.Invoker);

        using var triggered = await invoker.PostAsync(new Uri($"/api/schedules/{name}/trigger", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
        var execution = (await triggered.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(TestKeys.InvokerName, execution["caller"]!["key"]!.GetValue<string>());

        // Visible to its key through the executions API, not to another invoker's.
        var mine = await invoker.GetFromJsonAsync<JsonObject>($"/api/executions?schedule={name}");
        Assert.Single(mine!["items"]!.AsArray());
        var theirs = await _app.ClientAs(TestKeys.OtherInvoker).GetFromJsonAsync<JsonObject>($"/api/executions?schedule={name}");
        Assert.Empty(theirs!["items"]!.AsArray());
        var listed = await _app.ClientAs(TestKeys.OtherInvoker).GetFromJsonAsync<JsonArray>("/api/schedules");
        Assert.DoesNotContain(listed!, s => s!["name"]!.GetValue<string>() == name);

        // An admin's edit keeps the owner.
        var edited = await _app.PutScheduleAsync(name, Body(3), HttpStatusCode.OK);
        Assert.Equal(TestKeys.InvokerName, edited["owner"]!.GetValue<string>());

        using var paused = await invoker.PostAsync(new Uri($"/api/schedules/{name}/pause", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        using var deleted = await invoker.DeleteAsync(new Uri($"/api/schedules/{name}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task A_refused_change_changes_nothing()
    {
        var name = ScheduleClient.NewName("keep");
        await _app.PutScheduleAsync(name, Body(1));

        foreach (var key in new[] { TestKeys.Invoker, TestKeys.Viewer, null, TestKeys.Wrong })
        {
            using var client = _app.ClientAs(key);
            using var replaced = await client.PutAsJsonAsync($"/api/schedules/{name}", Body(9), TestApp.Json);
            using var deleted = await client.DeleteAsync(new Uri($"/api/schedules/{name}", UriKind.Relative));
            Assert.True((int)replaced.StatusCode is 401 or 403 && (int)deleted.StatusCode is 401 or 403 or 404, $"{replaced.StatusCode} {deleted.StatusCode}");
        }

        var schedule = await _app.GetAsync($"/api/schedules/{name}");
        Assert.Equal(1, schedule["input"]!["value"]!.GetValue<int>());
        Assert.Equal(TestKeys.AdminName, schedule["owner"]!.GetValue<string>());
    }

    private static object Body(int value) => new { function = "examples.echo", input = new { value }, cron = "0 0 1 1 *" };

    private static string? KeyOf(string caller) => caller switch
    {
        "admin" => TestKeys.Admin,
        "invoker" => TestKeys.Invoker,
        "viewer" => TestKeys.Viewer,
        "wrong" => TestKeys.Wrong,
        _ => null,
    };
}
