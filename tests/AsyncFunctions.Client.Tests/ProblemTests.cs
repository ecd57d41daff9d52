using AsyncFunctions.Contracts;
using AsyncFunctions.Server.Tests;

namespace AsyncFunctions.Client.Tests;

/// <summary>Problem documents arrive as <see cref="AsyncFunctionsProblemException"/> with their status, code and errors.</summary>
public sealed class ProblemTests(ClientApp shared) : IClassFixture<ClientApp>
{
    [Fact]
    public async Task An_input_that_is_not_valid_names_the_input_at_fault()
    {
        var problem = await Assert.ThrowsAsync<AsyncFunctionsProblemException>(() => shared.Client().StartAsync("examples.echo", new { delayMs = 1 }));

        Assert.Equal(400, problem.Status);
        Assert.Contains(problem.Errors, e => e.Key.Contains("value", StringComparison.Ordinal) && e.Value.Count > 0);
    }

    [Fact]
    public async Task A_stack_document_that_is_not_valid_names_each_json_path()
    {
        var document = new FunctionDocument { Stack = [new System.Text.Json.Nodes.JsonObject { ["call"] = "no.such.function" }] };

        var problem = await Assert.ThrowsAsync<AsyncFunctionsProblemException>(() => shared.Client().SaveFunctionAsync("client_broken", document));

        Assert.Equal(400, problem.Status);
        Assert.Contains("$.stack[0].call", problem.Errors.Keys);
    }

    [Fact]
    public async Task A_failed_run_carries_its_error_code_and_execution()
    {
        var problem = await Assert.ThrowsAsync<AsyncFunctionsProblemException>(() => shared.Client().RunAsync("examples.fail", new { message = "no" }));

        Assert.Equal(422, problem.Status);
        Assert.False(string.IsNullOrEmpty(problem.Code));
        Assert.NotNull(problem.ExecutionId);
    }

    [Fact]
    public async Task An_unknown_execution_is_404_with_its_id()
    {
        var problem = await Assert.ThrowsAsync<AsyncFunctionsProblemException>(() => shared.Client().GetAsync("no-such-execution"));

        Assert.Equal(404, problem.Status);
        Assert.Equal(["no-such-execution"], problem.Ids);
    }

    [Fact]
    public async Task The_api_key_is_sent_and_its_role_applies()
    {
        var problem = await Assert.ThrowsAsync<AsyncFunctionsProblemException>(() => shared.Client(TestKeys.Viewer).StartAsync("examples.echo", new { value = 1 }));
        var wrong = await Assert.ThrowsAsync<AsyncFunctionsProblemException>(() => shared.Client(TestKeys.Wrong).ListFunctionsAsync());

        Assert.Equal(403, problem.Status);
        Assert.Equal(401, wrong.Status);
    }
}
