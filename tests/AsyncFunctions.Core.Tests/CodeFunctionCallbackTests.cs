using AsyncFunctions.Functions;

namespace AsyncFunctions.Core.Tests;

/// <summary>The callback URL of a C# function, checked when it is registered.</summary>
public sealed class CodeFunctionCallbackTests
{
    private sealed class Noop : IAsyncFunction
    {
        public Task<System.Text.Json.Nodes.JsonNode?> RunAsync(Running.FunctionContext context, CancellationToken cancellationToken) =>
            Task.FromResult<System.Text.Json.Nodes.JsonNode?>(null);
    }

    [Fact]
    public void A_registration_keeps_its_callback_url()
    {
        var registry = new FunctionRegistry();

        var registration = registry.AddFunction<Noop>("with_callback").WithCallback("https://hooks.example.com/done");

        Assert.Equal("https://hooks.example.com/done", registration.CallbackUrl);
    }

    [Theory]
    [InlineData("ftp://hooks.example.com/x")]
    [InlineData("/relative")]
    [InlineData("https://user:pw@hooks.example.com/x")]
    public void An_invalid_callback_url_is_refused_at_registration(string url)
    {
        var registration = new FunctionRegistry().AddFunction<Noop>("bad_callback");

        var error = Assert.Throws<ArgumentException>(() => registration.WithCallback(url));

        Assert.Contains("bad_callback", error.Message, StringComparison.Ordinal);
    }
}
