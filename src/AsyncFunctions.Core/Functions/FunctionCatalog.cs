namespace AsyncFunctions.Functions;

/// <summary>The catalog over all sources, in registration order.</summary>
public sealed class FunctionCatalog(IEnumerable<IFunctionSource> sources) : IFunctionCatalog
{
    private readonly IFunctionSource[] _sources = sources.ToArray();

    public ValueTask<FunctionDescriptor?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        FindAsync(name, null, cancellationToken);

    public async ValueTask<FunctionDescriptor?> FindAsync(string name, int? version, CancellationToken cancellationToken = default)
    {
        foreach (var source in _sources)
        {
            var found = await source.FindAsync(name, version, cancellationToken).ConfigureAwait(false);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    public async ValueTask<IReadOnlyList<FunctionDescriptor>> ListAsync(CancellationToken cancellationToken = default)
    {
        var byName = new SortedDictionary<string, FunctionDescriptor>(StringComparer.Ordinal);
        foreach (var source in _sources)
        {
            foreach (var function in await source.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                byName.TryAdd(function.Name, function);
            }
        }

        return byName.Values.ToList();
    }
}
