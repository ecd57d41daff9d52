using System.Diagnostics;

namespace AsyncFunctions.Hosting.Tests;

/// <summary>
/// The served document as .NET client generators see it (tests/contract/dotnet/check.sh): NSwag and
/// Kiota, pinned in the tool manifest, generate clients from it, and a README-style program per
/// generator compiles and runs against the started server (list, save, start, long-poll, await,
/// run, cancel, retry, and a problem document's status and errors).
/// </summary>
public sealed class DotNetClientGeneratorTests
{
    [Fact]
    public async Task Clients_generated_by_NSwag_and_Kiota_run_a_readme_style_program_against_the_server()
    {
        await using var server = await ServerProcess.StartAsync();
        var folder = Path.Combine(Repository.Root, "tests", "contract", "dotnet");
        using (var http = new HttpClient())
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "openapi.json"), await http.GetStringAsync(new Uri($"{server.Address}/openapi/v1.json")));
        }

        using var process = Process.Start(new ProcessStartInfo("bash", [Path.Combine(folder, "check.sh"), server.Address])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"tests/contract/dotnet/check.sh failed ({process.ExitCode}):\n{await output}\n{await errors}\nServer:\n{server.Output}");
    }
}
