using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Http;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class AllowListTests
{
    [Theory]
    [InlineData("hooks.internal", "hooks.internal", 443, true)]
    [InlineData("HOOKS.internal", "hooks.INTERNAL", 80, true)]
    [InlineData("localhost:5080", "localhost", 5080, true)]
    [InlineData("localhost:5080", "localhost", 5081, false)]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080, true)]
    [InlineData("[::1]:8080", "[::1]", 8080, true)]
    [InlineData("[::1]", "::1", 9, true)]
    [InlineData("::1", "[::1]", 9, true)]
    [InlineData("localhost:http", "localhost", 80, false)]
    [InlineData("other.internal", "hooks.internal", 443, false)]
    public void An_entry_is_a_host_or_a_host_and_port(string entry, string host, int port, bool allowed)
    {
        var options = new FunctionStacksOptions();
        options.AllowedHosts.Add(entry);

        Assert.Equal(allowed, GuardedHandler.IsAllowListed(options, host, port));
    }
}
