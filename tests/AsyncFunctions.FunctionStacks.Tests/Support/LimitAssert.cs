using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Tests.Support;

/// <summary>A limit fails the execution with its code, a surrounding try/catch cannot catch it, and the next run is healthy.</summary>
internal static class LimitAssert
{
    public static async Task FailsWith(string code, string steps, Action<StackLimitOptions>? limits = null, string response = "null")
    {
        var stacks = new Stacks(o => limits?.Invoke(o.Limits));
        var wrapped = $$"""[ { "try": {{steps}}, "catch": [ { "return": "caught" } ] } ]""";
        var ex = await Assert.ThrowsAnyAsync<FunctionException>(() => stacks.RunAsync(Stacks.Doc(wrapped, response)));
        Assert.Equal(code, ex.Code);
        Assert.Contains(code, ex.Message, StringComparison.Ordinal);

        var healthy = await stacks.RunAsync(Stacks.Doc("""[ { "var": "x", "value": "=1 + 1" } ]""", "\"=$var.x\""));
        Assert.Equal(2, healthy!.GetValue<int>());
    }
}
