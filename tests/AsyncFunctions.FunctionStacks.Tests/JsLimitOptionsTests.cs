using AsyncFunctions.FunctionStacks.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class JsLimitOptionsTests
{
    private static FunctionStacksOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddFunctionStacks().BuildServiceProvider();
        return provider.GetRequiredService<IOptions<FunctionStacksOptions>>().Value;
    }

    [Fact]
    public void The_depth_and_array_length_limits_bind_and_are_checked()
    {
        var options = Resolve(new() { ["AsyncFunctions:Stacks:Limits:JsDepth"] = "100", ["AsyncFunctions:Stacks:Limits:JsArrayLength"] = "5000" });
        Assert.Equal((100, 5000), (options.Limits.JsDepth, options.Limits.JsArrayLength));

        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["AsyncFunctions:Stacks:Limits:JsDepth"] = "901",
            ["AsyncFunctions:Stacks:Limits:JsArrayLength"] = "0",
        }));
        Assert.Contains(ex.Failures, f => f.StartsWith("AsyncFunctions:Stacks:Limits:JsDepth must be between 1 and 900", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AsyncFunctions:Stacks:Limits:JsArrayLength must be at least 1000", StringComparison.Ordinal));
    }
}
