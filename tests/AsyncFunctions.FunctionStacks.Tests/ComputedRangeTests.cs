using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>A computed sleep or for count is held to the range the compiler applies to a literal.</summary>
public sealed class ComputedRangeTests
{
    private static async Task<StackErrorException> TypeError(string step)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => new Stacks().RunAsync(Stacks.Doc($"[ {step} ]"), cancellationToken: guard.Token));
        Assert.Equal("value.type", ex.Code);
        return ex;
    }

    [Theory]
    [InlineData("=86400001")]
    [InlineData("=-5")]
    [InlineData("=1e20")]
    public async Task A_computed_sleep_out_of_range_is_a_type_error(string milliseconds)
    {
        var ex = await TypeError($$"""{ "sleep": "{{milliseconds}}" }""");
        Assert.StartsWith("$.stack[0].sleep: must be a number from 0 to 86400000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_computed_sleep_in_range_sleeps()
    {
        var output = await new Stacks().RunAsync(Stacks.Doc("""[ { "sleep": "=1" }, { "var": "done", "value": true } ]""", "\"=$var.done\""));
        Assert.True(output!.GetValue<bool>());
    }

    [Theory]
    [InlineData("=-1")]
    [InlineData("=-0.5")]
    [InlineData("=2.5")]
    public async Task A_computed_for_count_that_is_not_a_whole_number_of_at_least_0_is_a_type_error(string count)
    {
        var ex = await TypeError($$"""{ "for": "{{count}}", "do": [] }""");
        Assert.StartsWith("$.stack[0].for: the count must be a whole number of at least 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_computed_for_count_of_0_runs_no_iteration()
    {
        var output = await new Stacks().RunAsync(Stacks.Doc(
            """[ { "var": "n", "value": 0 }, { "for": "=0", "do": [ { "set": "n", "op": "increment", "value": 1 } ] } ]""", "\"=$var.n\""));
        Assert.Equal(0, output!.GetValue<int>());
    }
}
