using AsyncFunctions.FunctionStacks.Data;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Http;
using AsyncFunctions.FunctionStacks.Sandboxing;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>What stacks reach outside themselves: options, HTTP clients, database connections, the JavaScript sandboxes and the clock.</summary>
public sealed class StackServices : IDisposable
{
    public StackServices(FunctionStacksOptions options, IHttpClientFactory? httpClients = null, TimeProvider? time = null)
    {
        Options = options;
        Time = time ?? TimeProvider.System;
        Requests = new RequestRunner(options, httpClients);
        Connections = new ConnectionOpener(options);
        Sandboxes = new SandboxPool(options.Sandbox, options.Limits);
    }

    public FunctionStacksOptions Options { get; }

    public TimeProvider Time { get; }

    internal RequestRunner Requests { get; }

    internal ConnectionOpener Connections { get; }

    /// <summary>The processes that evaluate the JavaScript that does more than read its bindings.</summary>
    public SandboxPool Sandboxes { get; }

    public void Dispose() => Sandboxes.Dispose();
}
