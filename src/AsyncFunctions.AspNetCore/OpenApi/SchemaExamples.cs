using System.Text.Json.Nodes;

namespace AsyncFunctions.AspNetCore.OpenApi;

/// <summary>Examples shown with the request bodies and the validation problem; Redocly checks them against their schemas.</summary>
internal static class SchemaExamples
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(StartExecutionBody)] = """{ "input": { "value": 42 }, "mode": "async" }""",
        [typeof(RunFunctionBody)] = """{ "input": { "value": 42 } }""",
        [typeof(AwaitBody)] = """{ "ids": ["0b6c7f1e-6d1c-4f61-9a53-2f0c1e7b1a10"], "timeoutSeconds": 30 }""",
        [typeof(FunctionDocument)] = """{ "description": "Adds one.", "inputs": [{ "name": "n", "type": "int", "required": true }], "concurrency": [{ "limit": 5 }], "stack": [], "response": "=$input.n + 1" }""",
        [typeof(ScheduleBody)] = """{ "function": "examples.echo", "input": { "value": "nightly" }, "cron": "0 2 * * *", "timeZone": "Europe/Oslo", "overlap": "skip" }""",
        [typeof(ValidationProblem)] = """
            {
              "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
              "title": "The function document is not valid",
              "status": 400,
              "detail": "1 problem(s) in the document of 'add_one'.",
              "errors": { "$.stack[0].call": ["there is no function named 'nope'"] },
              "problems": [{ "path": "$.stack[0].call", "message": "there is no function named 'nope'" }]
            }
            """,
    };

    public static JsonNode? For(Type type) => Examples.TryGetValue(type, out var text) ? JsonNode.Parse(text) : null;
}
