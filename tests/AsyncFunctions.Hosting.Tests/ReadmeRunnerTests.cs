using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AsyncFunctions.Hosting.Tests;

/// <summary>
/// The shell blocks marked <c>&lt;!-- readme-test: run --&gt;</c> on every documentation page
/// (README.md and docs/*.md, found on disk) run word for word with bash against the shipped server
/// started on a port other than 5080, with <c>BASE</c> set to its address; each must exit 0 and
/// print what its <c>&lt;!-- readme-test: prints … --&gt;</c> lines say. The conventions are those
/// of <see cref="ReadmeBlock"/>.
/// </summary>
public sealed partial class ReadmeRunnerTests(ReadmeServer server) : IClassFixture<ReadmeServer>
{
    public static TheoryData<string> PagesWithRunBlocks() =>
        [.. DocPage.All().Where(p => p.Blocks.Any(b => b.Runs)).Select(p => p.Path)];

    [SkippableTheory]
    [MemberData(nameof(PagesWithRunBlocks))]
    public async Task The_pages_shell_blocks_run_against_a_server_on_another_port_and_print_what_they_say(string page)
    {
        Skip.If(FindOnPath("bash") is null, "bash is not installed.");
        Skip.If(FindOnPath("curl") is null, "curl is not installed.");
        var blocks = DocPage.Read(page).Blocks.Where(b => b.Runs).ToList();

        var address = (await server.StartAsync()).Address;
        foreach (var block in blocks)
        {
            var (exitCode, stdout, stderr) = await RunAsync(block.Text, address);
            Assert.True(exitCode == 0, $"The block at {block.Place} exited with {exitCode}.\n--- block\n{block.Text}--- stdout\n{stdout}--- stderr\n{stderr}--- server\n{server.Output}");
            foreach (var expected in block.Prints)
            {
                Assert.True(stdout.Contains(expected, StringComparison.Ordinal), $"The block at {block.Place} did not print {expected}:\n{stdout}--- server\n{server.Output}");
            }
        }
    }

    [Fact]
    public void Every_run_block_stands_alone_and_says_what_it_prints()
    {
        var runs = DocPage.All().SelectMany(p => p.Blocks).Where(b => b.Runs).ToList();

        Assert.All(runs, b =>
        {
            Assert.True(b.Info == "sh", $"The run block at {b.Place} is not a ```sh block.");
            Assert.True(!b.Text.Contains("$BASE", StringComparison.Ordinal) || b.Text.Contains("BASE=${BASE:-http://localhost:5080}", StringComparison.Ordinal),
                $"The run block at {b.Place} uses $BASE without setting it (BASE=${{BASE:-http://localhost:5080}}), so it does not stand alone.");
            Assert.True(b.Prints.Count > 0, $"The run block at {b.Place} is not followed by a <!-- readme-test: prints … --> line.");
            foreach (Match curl in CurlCommand().Matches(b.Text))
            {
                Assert.True(SilentOption().IsMatch(curl.Value), $"A curl of the run block at {b.Place} lacks -s: {curl.Value}");
            }
        });
        Assert.All(DocPage.All().SelectMany(p => p.Blocks).Where(b => b.Prints.Count > 0), b =>
            Assert.True(b.Runs, $"The block at {b.Place} says what it prints but is not marked {ReadmeBlock.RunMarker}."));

        // The front page's walk-through and the C# page's example are run; losing their markers would go unnoticed otherwise.
        Assert.Contains(runs, b => b.Page == DocPage.Readme && b.Heading == "Five-minute walk-through");
        Assert.Contains(runs, b => b.Page == "docs/csharp-functions.md" && b.Heading == "Adding your own C# functions");
    }

    [Fact]
    public void The_convention_check_finds_a_block_that_does_not_stand_alone()
    {
        const string page = """
            ## Try it

            <!-- readme-test: run -->
            ```sh
            curl $BASE/api/functions
            ```
            <!-- readme-test: prints [ -->
            """;
        var block = Assert.Single(ReadmeBlock.Parse(page, "docs/example.md"));

        Assert.True(block.Runs);
        Assert.Equal(["["], block.Prints);
        Assert.DoesNotContain("BASE=${BASE:-", block.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(SilentOption(), Assert.Single(CurlCommand().Matches(block.Text)).Value);
    }

    /// <summary>Runs one block as written with <c>bash -euo pipefail</c>, BASE pointing at the server.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string script, string address)
    {
        var start = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var option in new[] { "-e", "-u", "-o", "pipefail", "-c", script })
        {
            start.ArgumentList.Add(option);
        }

        start.Environment["BASE"] = address;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The block did not finish within 3 minutes:\n{script}\n{await stdout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    /// <summary>A curl command up to the end of its line (continuation lines aside: the options come first).</summary>
    [GeneratedRegex(@"(?<![\w-])curl\s[^\n]*")]
    private static partial Regex CurlCommand();

    /// <summary>-s alone or in a group of short options (-s, -si, -sN), or --silent.</summary>
    [GeneratedRegex(@"\s(-[a-zA-Z]*s[a-zA-Z]*|--silent)(?=\s|$)")]
    private static partial Regex SilentOption();
}
