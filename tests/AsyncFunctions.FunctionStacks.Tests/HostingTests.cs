using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class HostingTests
{
    private const string Adder =
        """
        { "name": "adder", "description": "Adds.", "inputs": [ { "name": "a", "type": "int", "required": true }, { "name": "b", "type": "int", "default": 1 } ],
          "retry": { "maxRetries": 3, "delaySeconds": [2] }, "timeoutSeconds": 5, "stack": [], "response": "=$input.a + $input.b" }
        """;

    [Fact]
    public async Task The_descriptor_carries_kind_version_inputs_retry_and_timeout()
    {
        var stacks = new Stacks();
        var descriptor = StackFunctionDescriptor.Create(Stacks.Compile(Adder), stacks.Services, version: 4);

        Assert.Equal(("adder", "Adds.", "stack", 4), (descriptor.Name, descriptor.Description, descriptor.Kind, descriptor.Version));
        Assert.Equal(new RetryPolicy(3, [2]).MaxRetries, descriptor.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(5), descriptor.Timeout);

        var input = InputValidator.ValidateOrThrow(new JsonObject { ["a"] = 2 }, descriptor.Inputs);
        Assert.Equal("1", input["b"]!.ToJsonString());
        var output = await descriptor.Body.InvokeAsync(stacks.Executions.Context("adder", input), default);
        Assert.Equal(3, output!.GetValue<int>());
    }

    [Fact]
    public async Task Declared_inputs_are_enforced()
    {
        var function = Stacks.Compile(
            """
            { "name": "typed", "inputs": [
                { "name": "n", "type": "int", "min": 1, "max": 10, "required": true },
                { "name": "tags", "type": "array", "items": { "type": "text", "pattern": "[a-z]+" }, "maxLength": 2 },
                { "name": "mode", "type": "text", "enum": ["a", "b"], "default": "a" } ],
              "stack": [], "response": { "n": "=$input.n", "mode": "=$input.mode" } }
            """);

        InputValidator.Validate(new JsonObject { ["n"] = 11, ["tags"] = new JsonArray("ok", "BAD", "x"), ["mode"] = "c" }, function.Inputs, out var problems);
        Assert.Equal(["input.mode", "input.n", "input.tags", "input.tags[1]"], problems.Select(p => p.Path).Order(StringComparer.Ordinal).ToArray());

        var stacks = new Stacks();
        await Assert.ThrowsAsync<InputValidationException>(() => stacks.RunAsync(function, new JsonObject { ["n"] = "x" }));
        var output = await stacks.RunAsync(function, new JsonObject { ["n"] = 3 });
        Assert.Equal("""{"n":3,"mode":"a"}""", output!.ToJsonString());
    }

    [Fact]
    public async Task The_source_compiles_versions_once_and_asks_the_store_for_latest_each_time()
    {
        var store = new InMemoryDefinitionStore();
        var source = new StackFunctionSource(store, new Stacks().Services);
        await store.SaveAsync("adder", Adder);

        var latest = await source.FindAsync("adder", null, default);
        Assert.Equal(1, latest!.Version);
        Assert.Same(latest, await source.FindAsync("adder", 1, default));
        var gets = store.Gets;
        Assert.Same(latest, await source.FindAsync("adder", 1, default));
        Assert.Equal(gets, store.Gets);

        await store.SaveAsync("adder", Adder.Replace("Adds.", "Adds more.", StringComparison.Ordinal));
        var second = await source.FindAsync("adder", null, default);
        Assert.Equal((2, "Adds more."), (second!.Version, second.Description));
        Assert.Equal("Adds.", (await source.FindAsync("adder", 1, default))!.Description);
        Assert.Null(await source.FindAsync("nobody", null, default));
        Assert.Equal("adder", Assert.Single(await source.ListAsync(default)).Name);
    }

    [Fact]
    public async Task A_stored_document_that_does_not_compile_fails_its_runs_with_the_problems()
    {
        var store = new InMemoryDefinitionStore();
        await store.SaveAsync("broken", """{ "name": "broken", "stack": [ { "nope": 1 } ] }""");
        var descriptor = await new StackFunctionSource(store, new Stacks().Services).FindAsync("broken", null, default);

        var ex = await Assert.ThrowsAsync<FunctionException>(() => descriptor!.Body.InvokeAsync(new Stacks().Executions.Context("broken"), default));
        Assert.Equal("stack.invalid", ex.Code);
        Assert.Equal("$.stack[0]", ex.Details!["problems"]![0]!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stored_document_must_carry_its_stored_name()
    {
        var store = new InMemoryDefinitionStore();
        await store.SaveAsync("other", Adder);
        var descriptor = await new StackFunctionSource(store, new Stacks().Services).FindAsync("other", null, default);
        Assert.Equal("other", descriptor!.Name);
        var ex = await Assert.ThrowsAsync<FunctionException>(() => descriptor.Body.InvokeAsync(new Stacks().Executions.Context("other"), default));
        Assert.Equal("stack.invalid", ex.Code);
    }

    [Fact]
    public void The_folder_loader_reports_problems_per_file()
    {
        var folder = Directory.CreateTempSubdirectory("stacks-folder-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a.json"), Adder);
            File.WriteAllText(Path.Combine(folder, "b.json"), "{ not json");
            File.WriteAllText(Path.Combine(folder, "c.json"), """{ "name": "caller", "stack": [ { "call": "adder" }, { "call": "ghost" } ] }""");
            File.WriteAllText(Path.Combine(folder, "d.json"), Adder);
            File.WriteAllText(Path.Combine(folder, "ignored.txt"), "x");

            var loaded = FunctionFolderLoader.Load(folder, _ => false);

            Assert.Equal(["a.json", "b.json", "c.json", "d.json"], loaded.Select(d => Path.GetFileName(d.File)).ToArray());
            Assert.Contains(loaded[0].Problems, p => p.Message.Contains("another file", StringComparison.Ordinal));
            Assert.Equal("$", Assert.Single(loaded[1].Problems).Path);
            Assert.Equal("$.stack[1].call", Assert.Single(loaded[2].Problems).Path);
            Assert.False(loaded[3].Succeeded);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Options_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AsyncFunctions:Stacks:Env:API_BASE"] = "https://api.example.com",
            ["AsyncFunctions:Stacks:AllowedHosts:0"] = "internal.example",
            ["AsyncFunctions:Stacks:Limits:Steps"] = "500",
            ["AsyncFunctions:Stacks:Limits:JsTimeout"] = "00:00:02",
            ["AsyncFunctions:Stacks:Connections:main:Provider"] = "sqlite",
            ["AsyncFunctions:Stacks:Connections:main:ConnectionString"] = "Data Source=x.db",
        }).Build();

        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton<AsyncFunctions.Definitions.IFunctionDefinitionStore>(new InMemoryDefinitionStore()).AddFunctionStacks().BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<FunctionStacksOptions>>().Value;

        Assert.Equal("https://api.example.com", options.Env["API_BASE"]);
        Assert.Equal(["internal.example"], options.AllowedHosts);
        Assert.Equal(500, options.Limits.Steps);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Limits.JsTimeout);
        Assert.Equal("Data Source=x.db", options.Connections["main"].ConnectionString);
        Assert.Contains(provider.GetServices<IFunctionSource>(), s => s is StackFunctionSource);
        Assert.Same(options, provider.GetRequiredService<StackServices>().Options);
    }

    [Fact]
    public async Task Env_holds_only_what_is_configured()
    {
        var stacks = new Stacks(o => o.Env["ONLY"] = "this");
        var output = await stacks.RunAsync(Stacks.Doc("[]", """{ "env": "=$env", "path": "=$env.PATH ?? null", "process": "=typeof process" }"""));
        Assert.Equal("""{"env":{"ONLY":"this"},"path":null,"process":"undefined"}""", output!.ToJsonString());
    }

    [Fact]
    public async Task Auth_is_empty_unless_supplied()
    {
        var stacks = new Stacks();
        var function = Stacks.Compile(Stacks.Doc("[]", "\"=$auth\""));
        var interpreter = new StackInterpreter(function, stacks.Services);
        var empty = await interpreter.RunAsync(interpreter.Start(), stacks.Executions.Context("test"));
        var supplied = await interpreter.RunAsync(interpreter.Start(auth: new JsonObject { ["user"] = "ann" }), stacks.Executions.Context("test"));
        Assert.Equal(("{}", """{"user":"ann"}"""), (empty.Output!.ToJsonString(), supplied.Output!.ToJsonString()));
    }

    [Fact]
    public async Task As_an_execution_body_auth_is_the_caller_of_the_execution()
    {
        var stacks = new Stacks();
        var body = new StackFunctionBody(Stacks.Compile(Stacks.Doc("[]", "\"=$auth\"")), stacks.Services);
        var execution = new ExecutionInfo("root", "test", null, null, 0, 1, IsAsync: true) { Caller = new ExecutionCaller("app-one", "invoker") };

        var withCaller = await body.InvokeAsync(new FunctionContext(stacks.Executions, execution, [], stacks.Executions.Services), CancellationToken.None);
        var without = await body.InvokeAsync(stacks.Executions.Context("test"), CancellationToken.None);

        Assert.Equal(("""{"key":"app-one","role":"invoker"}""", "{}"), (withCaller!.ToJsonString(), without!.ToJsonString()));
    }
}
