using System.Text;
using AsyncFunctions.FunctionStacks.Sandboxing;
using AsyncFunctions.Sandbox;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>One sandbox process serving several requests: each gets its own realm and a heap limit that follows what the process holds.</summary>
public sealed class SandboxProcessTests
{
    private static readonly SandboxLimits Limits = new() { TimeoutMilliseconds = 20_000 };

    [Fact]
    public async Task The_heap_limit_rises_again_for_a_request_that_brings_a_large_input()
    {
        using var process = await SandboxProcess.StartAsync(256L * 1024 * 1024, null, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), CancellationToken.None);

        // A small request first lowers the limit to the little the process then holds.
        Assert.Equal("1", await EvaluateAsync(process, "return 1;", "{}"));

        // Then 30 MB of input: the limit must make room for it and for the script's own 50 MB, within the 64 MB it may use.
        var input = "{\"s\":\"" + new string('x', 15_000_000) + "\"}";
        Assert.Equal("25000000", await EvaluateAsync(process, "const t = 'y'.repeat(2.5e7); return $input.s.length > 0 ? t.length : 0;", input));
    }

    [Fact]
    public async Task Realms_made_ahead_are_used_once()
    {
        using var process = await SandboxProcess.StartAsync(256L * 1024 * 1024, null, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), CancellationToken.None);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("true", await EvaluateAsync(process, "const clean = globalThis.mark === undefined && Array.prototype.mark === undefined; globalThis.mark = 1; Array.prototype.mark = 1; return clean;", "{}"));
        }
    }

    private static async Task<string> EvaluateAsync(SandboxProcess process, string code, string input)
    {
        var request = new SandboxRequest("$.stack[0].lambda", code, true, input, "{}", "{}", "{}", Limits);
        var outcome = await process.EvaluateAsync(SandboxProtocol.EncodeRequest(request), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.NotNull(outcome.Reply);
        Assert.True(outcome.Reply.Error is null, outcome.Reply.Error?.Message);
        return Encoding.UTF8.GetString(outcome.Reply.Json!);
    }
}
