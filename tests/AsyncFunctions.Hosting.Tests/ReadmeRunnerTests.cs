using System.Diagnostics;

namespace AsyncFunctions.Hosting.Tests;

/// <summary>
/// The README's shell blocks marked <c>&lt;!-- readme-test: run --&gt;</c> run word for word with bash
/// against the shipped server started on a port other than 5080, with <c>BASE</c> set to its
/// address; each must exit 0 and print what the README says it prints.
/// </summary>
public sealed class ReadmeRunnerTests
{
    /// <summary>What each section's blocks must print, from the expected output the README shows in comments.</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["Walk-through"] =
        [
            "HTTP/1.1 202 Accepted",
            "\"status\":\"Succeeded\"",
            "\"output\":{\"hello\":\"world\"}",
            "\"code\":\"examples.failed\"",
            "\"output\":42",
        ],
        ["Function stacks"] =
        [
            "\"users\":{\"1\":{\"id\":1,\"name\":\"user 1\"},\"2\":{\"id\":2,\"name\":\"user 2\"},\"3\":{\"id\":3,\"name\":\"user 3\"}}",
            "\"sent\":[\"ann@example.com\",\"bob@example.com\"]",
            "\"code\":\"notify.rejected\"",
            "\"invalidRows\":[1]",
            "\"greeting\":\"Hello, Ada!\"",
            "\"path\":\"$.stack[1].call\"",
            "204",
        ],
        ["Adding your own C# functions"] =
        [
            "\"function\":\"examples.echo\"",
            "\"output\":{\"from\":\"C#\"}",
        ],
    };

    [SkippableFact]
    public async Task The_readmes_shell_blocks_run_against_a_server_on_another_port()
    {
        Skip.If(FindOnPath("bash") is null, "bash is not installed.");
        Skip.If(FindOnPath("curl") is null, "curl is not installed.");
        var blocks = ReadmeBlock.Parse(Repository.Readme).Where(b => b.Runs).ToList();
        Assert.All(blocks, b => Assert.Equal("sh", b.Info));
        Assert.Equal(Expected.Keys.Order(), blocks.Select(b => b.Heading).Distinct().Order());

        await using var server = await ServerProcess.StartAsync();
        foreach (var section in blocks.GroupBy(b => b.Heading))
        {
            var output = "";
            foreach (var block in section)
            {
                var (exitCode, stdout, stderr) = await RunAsync(block.Text, server.Address);
                Assert.True(exitCode == 0, $"A block under '{block.Heading}' exited with {exitCode}.\n--- block\n{block.Text}--- stdout\n{stdout}--- stderr\n{stderr}--- server\n{server.Output}");
                output += stdout;
            }

            foreach (var expected in Expected[section.Key])
            {
                Assert.True(output.Contains(expected, StringComparison.Ordinal), $"The blocks under '{section.Key}' did not print {expected}:\n{output}--- server\n{server.Output}");
            }
        }
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
}
