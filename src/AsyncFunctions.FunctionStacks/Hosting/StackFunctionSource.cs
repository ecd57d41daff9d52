using System.Collections.Concurrent;
using AsyncFunctions.Definitions;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>
/// Function stacks stored in an <see cref="IFunctionDefinitionStore"/>. A lookup without a version
/// asks the store for the current version every time. Compiled versions are cached, since a
/// saved version never changes; compiling is cheap (tens of microseconds), so the cache stays
/// small instead: a newer version of a name drops the older ones, and a full cache starts over.
/// </summary>
public sealed class StackFunctionSource(IFunctionDefinitionStore store, StackServices services) : IFunctionSource
{
    private const int MaxCached = 1024;

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

    private FunctionDescriptor Describe(StoredDefinition definition)
    {
        var key = (definition.Name, definition.Version);
        if (_compiled.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var descriptor = Compile(definition);
        if (_compiled.Count >= MaxCached)
        {
            _compiled.Clear();
        }

        foreach (var older in _compiled.Keys.Where(k => k.Name == definition.Name && k.Version < definition.Version))
        {
            _compiled.TryRemove(older, out _);
        }

        return _compiled.GetOrAdd(key, descriptor);
    }

    private FunctionDescriptor Compile(StoredDefinition definition)
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
    }
}
