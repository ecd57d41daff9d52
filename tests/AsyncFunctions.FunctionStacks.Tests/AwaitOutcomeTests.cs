using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>
/// What await reports when its executions end differently: it waits for all of them, then a
/// timeout tells which failed, which succeeded (with outputs) and which are pending, and the
/// settled mode yields every record instead of raising. Statuses are spelled as in the records.
/// </summary>
public sealed class AwaitOutcomeTests
{
    private const string StartThree = """
        { "call": "double", "input": { "n": 1 }, "async": true, "as": "ok" },
        { "call": "fail", "input": { "n": 2 }, "async": true, "as": "bad" },
        { "call": "slow", "input": { "n": 3 }, "async": true, "as": "slow" }
        """;

    private readonly Stacks _stacks = new();

    public AwaitOutcomeTests()
    {
        _stacks.Executions.Add("double", input => input!["n"]!.GetValue<int>() * 2);
        _stacks.Executions.Add("slow", input => input!["n"]!.GetValue<int>());
        _stacks.Executions.Add("fail", input => throw new FunctionException("child.broke", "child failed"));
        _stacks.Executions.Held.Add("slow");
    }

    [Fact]
    public async Task A_timeout_reports_the_failed_the_succeeded_with_outputs_and_the_pending()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(
            $$"""
            [
              {{StartThree}},
              { "try": [ { "await": ["=$var.ok", "=$var.bad", "=$var.slow"], "timeoutSeconds": 0 } ], "catch": [ { "var": "e", "value": "=$var.error" } ] }
            ]
            """,
            """{ "e": "=$var.e", "ok": "=$var.ok", "bad": "=$var.bad", "slow": "=$var.slow" }"""));

        var error = output!["e"]!;
        var (ok, bad, slow) = (Id(output, "ok"), Id(output, "bad"), Id(output, "slow"));
        Assert.Equal("await.timeout", error["code"]!.GetValue<string>());
        Assert.Contains(slow, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(bad, error["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var data = error["data"]!;
        Assert.Equal($"[\"{slow}\"]", data["pending"]!.ToJsonString());
        var failed = Assert.Single(data["failed"]!.AsArray())!;
        Assert.Equal((bad, "Failed", "child.broke"), (Id(failed, "id"), failed["status"]!.GetValue<string>(), failed["error"]!["code"]!.GetValue<string>()));
        var succeeded = Assert.Single(data["succeeded"]!.AsArray())!;
        Assert.Equal((ok, 2), (Id(succeeded, "id"), succeeded["output"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_timeout_leaves_out_outputs_too_large_for_a_variable_but_keeps_their_ids()
    {
        var stacks = new Stacks(o => o.Limits.VariableBytes = 1000);
        stacks.Executions.Add("big", _ => new string('x', 2000));
        stacks.Executions.Add("slow", _ => null);
        stacks.Executions.Held.Add("slow");
        var ex = await Assert.ThrowsAsync<Runtime.StackErrorException>(() => stacks.RunAsync(Stacks.Doc(
            """
            [
              { "call": "big", "async": true, "as": "big" },
              { "call": "slow", "async": true, "as": "slow" },
              { "await": ["=$var.big", "=$var.slow"], "timeoutSeconds": 0 }
            ]
            """)));

        Assert.Equal("await.timeout", ex.Code);
        var data = ex.Error.Data!;
        Assert.True(data["outputsOmitted"]!.GetValue<bool>());
        var succeeded = Assert.Single(data["succeeded"]!.AsArray())!;
        Assert.NotNull(succeeded["id"]);
        Assert.Null(succeeded["output"]);
    }

    [Fact]
    public async Task A_settled_await_yields_every_record_on_a_timeout_pending_ones_with_their_status()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(
            $$"""
            [
              {{StartThree}},
              { "await": ["=$var.ok", "=$var.bad", "=$var.slow"], "timeoutSeconds": 0, "settled": true, "as": "all" }
            ]
            """,
            "\"=$var.all\""));

        var all = output!.AsArray();
        Assert.Equal(["Succeeded", "Failed", "Enqueued"], all.Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal(2, all[0]!["output"]!.GetValue<int>());
        Assert.Equal("child.broke", all[1]!["error"]!["code"]!.GetValue<string>());
        Assert.Null(all[2]!["output"]);
        Assert.Null(all[2]!["error"]);
    }

    [Fact]
    public async Task A_settled_await_of_finished_executions_spells_statuses_as_the_records_do()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(
            """
            [
              { "call": "double", "input": { "n": 1 }, "async": true, "as": "ok" },
              { "call": "fail", "input": { "n": 2 }, "async": true, "as": "bad" },
              { "await": ["=$var.ok", "=$var.bad"], "settled": true, "as": "all" }
            ]
            """,
            "\"=$var.all\""));

        var all = output!.AsArray();
        Assert.Equal(["Succeeded", "Failed"], all.Select(r => r!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Await_failed_spells_the_status_as_the_record_does()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(
            """
            [
              { "call": "fail", "input": { "n": 2 }, "async": true, "as": "bad" },
              { "try": [ { "await": ["=$var.bad"] } ], "catch": [ { "var": "e", "value": "=$var.error" } ] }
            ]
            """,
            "\"=$var.e\""));

        Assert.Equal("await.failed", output!["code"]!.GetValue<string>());
        Assert.Equal("Failed", output["data"]!["failed"]![0]!["status"]!.GetValue<string>());
    }

    private static string Id(JsonNode node, string name) => node[name]!.GetValue<string>();
}
