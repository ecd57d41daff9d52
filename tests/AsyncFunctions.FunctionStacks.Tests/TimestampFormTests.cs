using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>An instant is one text whether it came in as a timestamp input or was made by a JavaScript Date.</summary>
public sealed class TimestampFormTests
{
    private const string Inputs = """[ { "name": "at", "type": "timestamp" } ]""";

    [Theory]
    [InlineData("\"2026-03-01T10:00:00.1239+02:00\"")]
    [InlineData("\"2026-03-01T08:00:00.123Z\"")]
    [InlineData("1772352000123")]
    public async Task An_input_timestamp_and_a_date_made_in_javascript_are_the_same_text(string given)
    {
        var output = await new Stacks().RunAsync(
            Stacks.Doc(
                """[ { "lambda": "return { date: new Date(Date.UTC(2026, 2, 1, 8, 0, 0, 123)), parsed: new Date($input.at), iso: new Date($input.at).toISOString() };", "as": "js" } ]""",
                """{ "input": "=$input.at", "js": "=$var.js" }""",
                Inputs),
            JsonNode.Parse($$"""{ "at": {{given}} }""")!.AsObject());

        const string Instant = "2026-03-01T08:00:00.123Z";
        Assert.Equal(
            $$$"""{"input":"{{{Instant}}}","js":{"date":"{{{Instant}}}","parsed":"{{{Instant}}}","iso":"{{{Instant}}}"}}""",
            output!.ToJsonString());
    }
}
