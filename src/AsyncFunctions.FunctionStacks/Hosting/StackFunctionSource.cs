using System.Collections.Concurrent;
using AsyncFunctions.Definitions;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>
/// Function stacks stored in an <see cref="IFunctionDefinitionStore"/>. A lookup without a version
/// asks the store for the current version every time; each (name, version) is compiled once and
/// cached, since a saved version never changes.
/// </summary>
public sealed class StackFunctionSource(IFunctionDefinitionStore store, StackServices services) : IFunctionSource
{
    private readonly ConcurrentDictionary<(string Name, int Version), FunctionDescriptor> _compiled = new();

    public async ValueTask<FunctionDescriptor?> FindAsync(string name, int? version, CancellationToken cancellationToken)
    {
        if (version is { } v && _compiled.TryGetValue((name, v), out var cached))
        {
            return cached;
        }

        var definition = await store.GetAsync(name, version, cancellationToken).ConfigureAwait(false);
        return definition is null ? null : Describe(definition);
    }

    public async ValueTask<IReadOnlyList<FunctionDescriptor>> ListAsync(CancellationToken cancellationToken)
    {
        var definitions = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        return definitions.Select(Describe).ToList();
    }

    private FunctionDescriptor Describe(StoredDefinition definition) =>
        _compiled.GetOrAdd((definition.Name, definition.Version), _ =>
        {
            var result = FunctionDocumentCompiler.Compile(definition.Document);
            if (result.Succeeded && result.Function!.Name != definition.Name)
            {
                return StackFunctionDescriptor.Invalid(definition.Name, definition.Version,
                    [new DocumentProblem("$.name", $"the document is named '{result.Function.Name}' but stored as '{definition.Name}'")]);
            }

            return result.Succeeded
                ? StackFunctionDescriptor.Create(result.Function!, services, definition.Version)
                : StackFunctionDescriptor.Invalid(definition.Name, definition.Version, result.Problems);
        });
}
