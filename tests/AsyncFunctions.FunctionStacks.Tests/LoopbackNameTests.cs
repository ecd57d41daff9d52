using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Http;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>Loopback names are refused in every spelling, whether or not a resolver knows them now.</summary>
public sealed class LoopbackNameTests
{
    [Theory]
    [InlineData("http://localhost.:9102/")]
    [InlineData("http://LocalHost.:9102/")]
    [InlineData("http://127.0.0.1.:9102/")]
    [InlineData("http://foo.localhost/")]
    [InlineData("http://a.b.localhost.:8080/x")]
    [InlineData("http://localhost/")]
    [InlineData("http://127.1:9102/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0x7f.0.0.1/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://0.0.0.0/")]
    public async Task The_guard_refuses_loopback_names_and_literals_with_a_trailing_dot(string url)
    {
        var refusal = await GuardedHandler.RefusalAsync(new FunctionStacksOptions(), new Uri(url), CancellationToken.None);

        Assert.NotNull(refusal);
        Assert.Contains("not a public address", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:9102", "http://localhost.:9102/")]
    [InlineData("foo.localhost", "http://foo.localhost/")]
    [InlineData("127.0.0.1:9102", "http://127.0.0.1.:9102/")]
    public async Task An_allow_listed_loopback_host_is_let_through_in_either_spelling(string entry, string url)
    {
        var options = new FunctionStacksOptions();
        options.AllowedHosts.Add(entry);

        Assert.Null(await GuardedHandler.RefusalAsync(options, new Uri(url), CancellationToken.None));
    }

    [Theory]
    [InlineData("http://foo.localhost:9/x")]
    [InlineData("http://localhost.:9/x")]
    [InlineData("http://127.0.0.1.:9/x")]
    public async Task A_request_step_to_a_loopback_name_fails_with_request_forbidden_host(string url)
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => new Stacks().RunAsync(Stacks.Doc($$"""[ { "request": "{{url}}", "as": "r" } ]""")));

        Assert.Equal("request.forbidden_host", ex.Code);
    }
}
