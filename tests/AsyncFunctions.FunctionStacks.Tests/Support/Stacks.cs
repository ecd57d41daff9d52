using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.Logging;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.FunctionStacks.Tests.Support;

/// <summary>Compiles and runs documents against a <see cref="FakeExecutions"/>.</summary>
internal sealed class Stacks
{
    public Stacks(Action<FunctionStacksOptions>? configure = null)
    {
        // Every test makes its own services and so its own sandbox processes: they end soon after.
        Options.Sandbox.IdleTimeout = TimeSpan.FromSeconds(5);
        // Wall-clock limits sized for a machine shared by many test processes, not the production
        // defaults: a new sandbox process's first evaluations compile the engine's paths they take,
        // which at a load average of 100-150 on two cores took longer than the 5 s JsTimeout (a
        // typed-array lambda ended at the server's deadline) and a process start longer than the
        // 30 s StartTimeout. The tests of these limits set their own.
        Options.Limits.JsTimeout = TimeSpan.FromSeconds(60);
        Options.Sandbox.StartTimeout = TimeSpan.FromMinutes(3);
        configure?.Invoke(Options);
        Executions.Services = new ServiceCollection().AddSingleton<IExecutionLogStore>(Logs).BuildServiceProvider();
        Services = new StackServices(Options);
    }

    public FunctionStacksOptions Options { get; } = new();

    public FakeExecutions Executions { get; } = new();

    public InMemoryLogStore Logs { get; } = new();

    public StackServices Services { get; }

    public static CompiledFunction Compile(string json)
    {
        var result = FunctionDocumentCompiler.Compile(json);
        Assert.True(result.Succeeded, "The document does not compile: " + string.Join("\n", result.Problems));
        return result.Function!;
    }

    /// <summary>Wraps steps in a document named "test" whose response is the given expression.</summary>
    public static string Doc(string steps, string response = "null", string inputs = "[]") =>
        $$"""{ "name": "test", "inputs": {{inputs}}, "stack": {{steps}}, "response": {{response}} }""";

    public Task<JsonNode?> RunAsync(string json, JsonObject? input = null, CancellationToken cancellationToken = default) =>
        RunAsync(Compile(json), input, cancellationToken);

    public async Task<JsonNode?> RunAsync(CompiledFunction function, JsonObject? input = null, CancellationToken cancellationToken = default)
    {
        var body = new StackFunctionBody(function, Services);
        return await body.InvokeAsync(Executions.Context(function.Name, input), cancellationToken);
    }

    /// <summary>Makes a compiled stack callable by name through the fake executions.</summary>
    public void AddStack(string json)
    {
        var function = Compile(json);
        var body = new StackFunctionBody(function, Services);
        Executions.Add(function.Name, (context, ct) => body.InvokeAsync(context, ct));
    }
}
