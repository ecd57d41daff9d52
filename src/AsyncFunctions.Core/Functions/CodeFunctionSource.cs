using System.Text.Json.Nodes;
using AsyncFunctions.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Functions;

/// <summary>The C# functions registered with <see cref="FunctionRegistry.AddFunction{T}"/>.</summary>
public sealed class CodeFunctionSource : IFunctionSource
{
    private readonly Dictionary<string, FunctionDescriptor> _byName;

    public CodeFunctionSource(IOptions<FunctionRegistry> registry)
    {
        _byName = registry.Value.Registrations.ToDictionary(
            r => r.Name,
            r => new FunctionDescriptor
            {
                Name = r.Name,
                Description = r.Description,
                Inputs = r.Inputs,
                Kind = "code",
                Retry = r.Retry,
                Timeout = r.Timeout,
                CallbackUrl = r.CallbackUrl,
                Flow = r.Flow,
                Body = new ResolvedFromScope(r.Type),
            },
            StringComparer.Ordinal);
    }

    public ValueTask<FunctionDescriptor?> FindAsync(string name, int? version, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_byName.GetValueOrDefault(name));

    public ValueTask<IReadOnlyList<FunctionDescriptor>> ListAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<FunctionDescriptor>>(_byName.Values.ToList());

    private sealed class ResolvedFromScope(Type type) : IFunctionBody
    {
        public Task<JsonNode?> InvokeAsync(FunctionContext context, CancellationToken cancellationToken)
        {
            var function = (IAsyncFunction)ActivatorUtilities.GetServiceOrCreateInstance(context.Services, type);
            return function.RunAsync(context, cancellationToken);
        }
    }
}
