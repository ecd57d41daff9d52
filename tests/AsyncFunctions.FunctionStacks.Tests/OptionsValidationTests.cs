using AsyncFunctions.FunctionStacks.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class OptionsValidationTests
{
    private static FunctionStacksOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddFunctionStacks()
            .BuildServiceProvider();
        return provider.GetRequiredService<IOptions<FunctionStacksOptions>>().Value;
    }

    [Fact]
    public void Bad_settings_are_refused_naming_each_key()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["AsyncFunctions:Stacks:Limits:Steps"] = "0",
            ["AsyncFunctions:Stacks:Limits:JsTotalTime"] = "-00:00:01",
            ["AsyncFunctions:Stacks:Connections:reports:Provider"] = "oracle",
            ["AsyncFunctions:Stacks:Connections:reports:ConnectionString"] = "x",
        }));
        Assert.Contains(ex.Failures, f => f.StartsWith("AsyncFunctions:Stacks:Limits:Steps must be positive", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AsyncFunctions:Stacks:Limits:JsTotalTime must be positive", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AsyncFunctions:Stacks:Connections:reports:Provider is 'oracle'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_sandbox_cgroup_is_auto_off_or_a_full_path()
    {
        Assert.Equal("/sys/fs/cgroup/app/sandboxes", Resolve(new() { ["AsyncFunctions:Stacks:Sandbox:Cgroup"] = "/sys/fs/cgroup/app/sandboxes" }).Sandbox.Cgroup);
        Assert.Equal("auto", Resolve([]).Sandbox.Cgroup);

        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["AsyncFunctions:Stacks:Sandbox:Cgroup"] = "sandboxes" }));
        Assert.Contains(ex.Failures, f => f.StartsWith("AsyncFunctions:Stacks:Sandbox:Cgroup must be auto, off or the full path", StringComparison.Ordinal));
    }

    [Fact]
    public void Good_settings_bind()
    {
        var options = Resolve(new()
        {
            ["AsyncFunctions:Stacks:Limits:StateBytes"] = "1000000",
            ["AsyncFunctions:Stacks:Connections:main:Provider"] = "SQLite",
            ["AsyncFunctions:Stacks:Connections:main:ConnectionString"] = "Data Source=:memory:",
        });
        Assert.Equal(1_000_000, options.Limits.StateBytes);
        Assert.Equal("SQLite", options.Connections["main"].Provider);
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
