using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>Loops with an empty body still count against limit.steps and still see cancellation.</summary>
public sealed class LoopStepCountTests
{
    private static async Task<FunctionException> Fails(string steps, Action<StackLimitOptions>? limits = null)
    {
        var stacks = new Stacks(o => limits?.Invoke(o.Limits));
        var wrapped = $$"""[ { "try": {{steps}}, "catch": [ { "return": "caught" } ] } ]""";
        return await Assert.ThrowsAnyAsync<FunctionException>(() => stacks.RunAsync(Stacks.Doc(wrapped)));
    }

    [Fact]
    public async Task Nested_empty_loops_stop_at_the_step_limit_with_the_default_limits()
    {
        var ex = await Fails("""[ { "for": 10000, "do": [ { "for": 10000, "do": [] } ] } ]""");
        Assert.Equal("limit.steps", ex.Code);
    }

    [Theory]
    [InlineData("""{ "for": 5000, "do": [] }""")]
    [InlineData("""{ "foreach": "=Array.from({ length: 5000 }, (_, i) => i)", "item": "x", "do": [] }""")]
    [InlineData("""{ "while": "=$var.j < 5000", "index": "j", "do": [] }""")]
    public async Task Each_iteration_of_an_empty_loop_counts_as_a_step(string inner)
    {
        var ex = await Fails($$"""[ { "for": 3, "do": [ {{inner}} ] } ]""", l => l.Steps = 1000);
        Assert.Equal("limit.steps", ex.Code);
        Assert.Contains("$.stack[0].try[0].do[0]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_loop_within_the_step_limit_runs_to_its_end()
    {
        var output = await new Stacks(o => o.Limits.Steps = 12).RunAsync(Stacks.Doc(
            """[ { "for": 10, "index": "i", "do": [] }, { "var": "done", "value": true } ]""", "\"=$var.done\""));
        Assert.True(output!.GetValue<bool>());
    }

    [Fact]
    public async Task Cancelling_ends_a_long_empty_loop()
    {
        var stacks = new Stacks(o => (o.Limits.Steps, o.Limits.LoopIterations) = (long.MaxValue, long.MaxValue));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var run = Task.Run(() => stacks.RunAsync(Stacks.Doc("""[ { "for": 1000000, "do": [ { "for": 1000000, "do": [] } ] } ]"""), cancellationToken: cancel.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromMinutes(5)));
    }
}
