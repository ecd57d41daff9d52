using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>The top-level <c>queue</c> of a function document.</summary>
public sealed class QueueDocumentTests
{
    [Fact]
    public void A_document_may_name_its_queue()
    {
        Assert.Equal("critical-1", Stacks.Compile("""{ "name": "urgent", "queue": "critical-1", "stack": [] }""").Flow.Queue);
    }

    [Fact]
    public void A_document_without_one_uses_the_default_queue()
    {
        Assert.Equal("default", Stacks.Compile("""{ "name": "plain", "stack": [] }""").Flow.Queue);
    }

    [Theory]
    [InlineData("\"Critical\"", "'Critical' is not a valid queue name: use lower-case letters a-z, digits, '_' or '-' (Hangfire's rule)")]
    [InlineData("\"bulk jobs\"", "'bulk jobs' is not a valid queue name: use lower-case letters a-z, digits, '_' or '-' (Hangfire's rule)")]
    [InlineData("\"\"", "a queue name must not be empty")]
    [InlineData("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is not a valid queue name: use at most 50 characters")]
    [InlineData("7", "must be a queue name (a text), not a number")]
    public void An_invalid_queue_is_a_problem_at_its_path(string value, string message)
    {
        var result = FunctionDocumentCompiler.Compile($$"""{ "name": "bad_queue", "queue": {{value}}, "stack": [] }""");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("$.queue", message), (problem.Path, problem.Message));
    }
}
