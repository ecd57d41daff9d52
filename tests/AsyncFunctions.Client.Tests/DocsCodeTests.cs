using System.Reflection;
using System.Text.RegularExpressions;
using AsyncFunctions.Executions;
using AsyncFunctions.Server.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MyApp;

namespace AsyncFunctions.Client.Tests;

/// <summary>
/// docs/csharp-client.md: each C# block names the file it shows (<c>&lt;!-- file: path --&gt;</c> on
/// the line before) and is that file word for word; the files are compiled with these tests and run
/// here against the real server.
/// </summary>
public sealed partial class DocsCodeTests(ClientApp shared) : IClassFixture<ClientApp>
{
    private static readonly string Root = typeof(DocsCodeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    [Fact]
    public void Every_csharp_block_of_the_page_is_a_compiled_file_word_for_word()
    {
        var lines = File.ReadAllText(Path.Combine(Root, "docs", "csharp-client.md")).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var shown = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] != "```csharp")
            {
                continue;
            }

            var marker = FileMarker().Match(i > 0 ? lines[i - 1] : "");
            Assert.True(marker.Success, $"The C# block at docs/csharp-client.md line {i + 1} names no file (<!-- file: path --> on the line before).");
            var end = Array.IndexOf(lines, "```", i + 1);
            Assert.True(end > i, $"The block at line {i + 1} is not closed.");
            var text = string.Join('\n', lines[(i + 1)..end]) + "\n";
            var path = marker.Groups["path"].Value;
            var file = File.ReadAllText(Path.Combine(Root, path)).Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.True(file == text, $"The page's copy of {path} differs from the file.");
            shown.Add(path);
            i = end;
        }

        Assert.Contains("tests/AsyncFunctions.Client.Tests/Docs/Reports.cs", shown);
    }

    [Fact]
    public async Task The_page_registration_gives_a_working_client()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AsyncFunctions:Url"] = shared.App.Server.BaseAddress.ToString(),
            ["AsyncFunctions:ApiKey"] = TestKeys.Admin,
        }).Build();
        var services = new ServiceCollection().AddAsyncFunctions(configuration);
        services.AddHttpClient<AsyncFunctionsClient>().ConfigurePrimaryHttpMessageHandler(() => shared.App.Server.CreateHandler());

        var client = services.BuildServiceProvider().GetRequiredService<AsyncFunctionsClient>();

        Assert.NotEmpty(await client.ListFunctionsAsync());
    }

    [Fact]
    public async Task The_page_examples_run_against_the_server()
    {
        var client = shared.Client();
        var reports = new Reports(client);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var id = await reports.StartAsync("2026-12", timeout.Token);
        Assert.Equal(id, await reports.StartAsync("2026-12", timeout.Token));
        Assert.Equal(ExecutionStatus.Succeeded, (await reports.ReadAsync(id, timeout.Token)).Status);
        Assert.Equal(ExecutionStatus.Succeeded, (await reports.FollowAsync(id, timeout.Token))!.Status);
        Assert.True(await reports.AllFinishedAsync([id], timeout.Token));
        Assert.NotNull(await reports.ScheduleCancelAndRetryAsync(timeout.Token));
        Assert.Contains("input.", await Problems.DescribeAsync(client), StringComparison.Ordinal);
        Assert.Contains("failed with", await Problems.FailedRunCodeAsync(client), StringComparison.Ordinal);
        Assert.Equal("42", (await StackDefinitions.AddOneAsync(client))!.ToJsonString());
    }

    [GeneratedRegex(@"^<!--\s*file:\s*(?<path>\S+)\s*-->$")]
    private static partial Regex FileMarker();
}
