using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Builds map the repository's folder to <c>/_/</c> (Directory.Build.props), so the stack traces an
/// operator sees name <c>/_/src/...</c> and never the folder of the machine that built the server.
/// </summary>
public sealed class BuildPathTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task A_failed_jobs_stack_trace_names_mapped_paths_not_the_repository_folder()
    {
        var repository = RepositoryFolder();
        var id = await _app.StartAsync("examples.fail", new { message = "traced" });
        await _app.AwaitAsync([id]);

        // The record turns Failed as the state is elected; the job's own state commits just after.
        var monitoring = _app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await TestApp.WaitUntilAsync(() => Task.FromResult(monitoring.JobDetails(id).History.Any(h => h.StateName == "Failed")));
        var trace = monitoring.JobDetails(id).History.First(h => h.StateName == "Failed").Data["ExceptionDetails"];
        var record = await _app.GetAsync($"/api/executions/{id}");
        var page = await _app.GetHtmlAsync($"/hangfire/jobs/details/{id}");

        Assert.Contains("/_/src/AsyncFunctions.Server/Examples/FailFunction.cs", trace, StringComparison.Ordinal);
        Assert.DoesNotContain(repository, trace, StringComparison.Ordinal);
        Assert.DoesNotContain(repository, record.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("/_/src/", page, StringComparison.Ordinal);
        Assert.DoesNotContain(repository, page, StringComparison.Ordinal);
    }

    /// <summary>The folder holding the solution, found above the test's output folder.</summary>
    private static string RepositoryFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "AsyncFunctions.sln")))
            {
                return folder.FullName + Path.DirectorySeparatorChar;
            }
        }

        throw new InvalidOperationException("The tests do not run from inside the repository.");
    }
}
