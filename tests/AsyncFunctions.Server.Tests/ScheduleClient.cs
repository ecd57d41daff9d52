using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>The schedule calls the schedule tests make, with the admin key unless told otherwise.</summary>
internal static class ScheduleClient
{
    public static string NewName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..10];

    public static async Task<JsonObject> PutScheduleAsync(this TestApp app, string name, object body, HttpStatusCode expected = HttpStatusCode.Created, string? key = null)
    {
        using var client = key is null ? app.CreateClient() : app.ClientAs(key);
        using var response = await client.PutAsJsonAsync($"/api/schedules/{name}", body, TestApp.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"PUT /api/schedules/{name}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonObject> PostScheduleAsync(this TestApp app, string name, string action, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await app.CreateClient().PostAsync(new Uri($"/api/schedules/{name}/{action}", UriKind.Relative), null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST /api/schedules/{name}/{action}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The schedule's executions, oldest occurrence first.</summary>
    public static async Task<List<JsonObject>> OccurrencesAsync(this TestApp app, string name)
    {
        var page = await app.GetAsync($"/api/executions?schedule={name}&limit=500");
        return page["items"]!.AsArray().Select(i => i!.AsObject())
            .OrderBy(i => i["scheduledFor"]!.GetValue<DateTimeOffset>())
            .ToList();
    }

    /// <summary>Waits (generously) until the schedule has at least <paramref name="count"/> executions matching <paramref name="condition"/>.</summary>
    public static async Task<List<JsonObject>> WaitForOccurrencesAsync(this TestApp app, string name, int count, Func<JsonObject, bool>? condition = null, int timeoutSeconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var occurrences = await app.OccurrencesAsync(name);
            if (occurrences.Count(o => condition?.Invoke(o) ?? true) >= count)
            {
                return occurrences;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Schedule {name} never had {count} such executions; it has: {string.Join(", ", occurrences.Select(o => $"{o["scheduledFor"]} {o["status"]}"))}");
            await Task.Delay(100);
        }
    }

    public static bool IsSucceeded(JsonObject execution) => execution["status"]!.GetValue<string>() == "Succeeded";
}
