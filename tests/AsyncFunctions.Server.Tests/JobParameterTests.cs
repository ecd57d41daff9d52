using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Filters;
using AsyncFunctions.Running;
using Hangfire.Client;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Hangfire's client filters write job parameters into the dictionary a job is created with
/// (its own CaptureCulture filter does for every job). Each start must hand Hangfire a dictionary
/// of its own: one shared by every start without parameters was written by concurrent creations at
/// once (a corrupted dictionary failed starts with a NullReferenceException) and carried a
/// parameter set for one job into every later one.
/// </summary>
public sealed class JobParameterTests
{
    [Fact]
    public async Task A_parameter_a_client_filter_sets_for_one_job_is_not_given_to_the_next()
    {
        var seen = new ConcurrentQueue<string[]>();
        using var app = new TestApp(services: s => s.AddSingleton<IJobFilterProvider>(sp =>
            new WithMarkingFilter(sp.GetRequiredService<ExecutionFilterProvider>(), seen)));
        var executions = app.Services.GetRequiredService<IExecutionService>();

        for (var i = 0; i < 3; i++)
        {
            await executions.StartAsync(new StartRequest("examples.echo", new JsonObject { ["value"] = i }));
        }

        Assert.Equal(3, seen.Count);
        Assert.All(seen, names => Assert.DoesNotContain(MarkingFilter.Marker, names));
    }

    /// <summary>The host's filters, then one that notes the parameters a job arrives with and marks it.</summary>
    private sealed class WithMarkingFilter(IJobFilterProvider inner, ConcurrentQueue<string[]> seen) : IJobFilterProvider
    {
        private readonly JobFilter _marking = new(new MarkingFilter(seen), JobFilterScope.Global, null);

        public IEnumerable<JobFilter> GetFilters(Job job) => inner.GetFilters(job).Append(_marking);
    }

    private sealed class MarkingFilter(ConcurrentQueue<string[]> seen) : IClientFilter
    {
        public const string Marker = "test.marker";

        public void OnCreating(CreatingContext context)
        {
            seen.Enqueue([.. context.Parameters.Keys]);
            context.SetJobParameter(Marker, Guid.NewGuid().ToString());
        }

        public void OnCreated(CreatedContext context)
        {
        }
    }
}
