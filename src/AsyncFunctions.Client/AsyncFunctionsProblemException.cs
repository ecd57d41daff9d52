using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Client;

/// <summary>
/// The server refused a request or a run failed: its RFC 7807 problem document, typed. <see cref="Errors"/>
/// names each field, parameter or JSON path at fault (such as <c>input.n</c> or <c>$.stack[0].call</c>).
/// </summary>
public sealed class AsyncFunctionsProblemException : Exception
{
    public AsyncFunctionsProblemException()
        : this(HttpStatusCode.InternalServerError, [])
    {
    }

    public AsyncFunctionsProblemException(string message)
        : base(message)
    {
        Problem = [];
        Errors = new Dictionary<string, IReadOnlyList<string>>();
        Ids = [];
    }

    public AsyncFunctionsProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = [];
        Errors = new Dictionary<string, IReadOnlyList<string>>();
        Ids = [];
    }

    public AsyncFunctionsProblemException(HttpStatusCode status, JsonObject problem)
        : base(Describe(status, problem))
    {
        ArgumentNullException.ThrowIfNull(problem);
        Status = (int)status;
        Problem = problem;
        Title = Text(problem["title"]);
        Detail = Text(problem["detail"]);
        Type = Text(problem["type"]);
        ExecutionId = Text(problem["executionId"]);
        Code = Text(problem["error"]?["code"]);
        Errors = (problem["errors"] as JsonObject)?.ToDictionary(
            e => e.Key,
            e => (IReadOnlyList<string>)[.. (e.Value as JsonArray ?? []).Select(m => Text(m) ?? "")],
            StringComparer.Ordinal) ?? new Dictionary<string, IReadOnlyList<string>>();
        Ids = [.. (problem["ids"] as JsonArray ?? []).Select(i => Text(i) ?? "")];
    }

    /// <summary>The HTTP status (400, 404, 409, 422, 429...).</summary>
    public int Status { get; }

    public string? Title { get; }

    public string? Detail { get; }

    /// <summary>The problem's type URI.</summary>
    public string? Type { get; }

    /// <summary>The error code of a failed run (422), such as <c>limit.js_memory</c>; null for other problems.</summary>
    public string? Code { get; }

    /// <summary>The execution a failed run recorded (422).</summary>
    public string? ExecutionId { get; }

    /// <summary>The messages for each field, parameter or JSON path at fault (400); empty otherwise.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; }

    /// <summary>The ids unknown to the caller (404 of an execution).</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>The whole problem document, extensions included.</summary>
    public JsonObject Problem { get; }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node?.ToJsonString();

    private static string Describe(HttpStatusCode status, JsonObject? problem) =>
        $"{(int)status} {Text(problem?["title"]) ?? status.ToString()}{(Text(problem?["detail"]) is { } detail ? ": " + detail : "")}";
}
