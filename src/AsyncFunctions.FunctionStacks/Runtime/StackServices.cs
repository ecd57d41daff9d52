using AsyncFunctions.FunctionStacks.Data;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Http;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>What stacks reach outside themselves: options, HTTP clients, database connections and the clock.</summary>
public sealed class StackServices
{
    public StackServices(FunctionStacksOptions options, IHttpClientFactory? httpClients = null, TimeProvider? time = null)
    {
        Options = options;
        Time = time ?? TimeProvider.System;
        Requests = new RequestRunner(options, httpClients);
        Connections = new ConnectionOpener(options);
    }

    public FunctionStacksOptions Options { get; }

    public TimeProvider Time { get; }

    internal RequestRunner Requests { get; }

    internal ConnectionOpener Connections { get; }
}
