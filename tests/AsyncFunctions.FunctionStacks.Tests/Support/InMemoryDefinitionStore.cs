using AsyncFunctions.Definitions;

namespace AsyncFunctions.FunctionStacks.Tests.Support;

internal sealed class InMemoryDefinitionStore : IFunctionDefinitionStore
{
    private readonly Dictionary<string, List<StoredDefinition>> _versions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deleted = new(StringComparer.Ordinal);

    public int Gets { get; private set; }

    public Task<StoredDefinition?> GetAsync(string name, int? version, CancellationToken cancellationToken = default)
    {
        lock (_versions)
        {
            Gets++;
            if (!_versions.TryGetValue(name, out var list))
            {
                return Task.FromResult<StoredDefinition?>(null);
            }

            return Task.FromResult(version is { } v
                ? list.Find(d => d.Version == v)
                : _deleted.Contains(name) ? null : list[^1]);
        }
    }

    public Task<IReadOnlyList<StoredDefinition>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_versions)
        {
            return Task.FromResult<IReadOnlyList<StoredDefinition>>(
                _versions.Where(p => !_deleted.Contains(p.Key)).Select(p => p.Value[^1]).ToList());
        }
    }

    public Task<DefinitionSave> SaveAsync(string name, string document, Func<string, bool>? sameAsCurrent = null, CancellationToken cancellationToken = default)
    {
        lock (_versions)
        {
            if (!_versions.TryGetValue(name, out var list))
            {
                _versions[name] = list = [];
            }

            var current = list.Count > 0 && !_deleted.Contains(name) ? list[^1] : null;
            if (current is not null && sameAsCurrent?.Invoke(current.Document) == true)
            {
                return Task.FromResult(new DefinitionSave(current.Version, Changed: false, Created: false));
            }

            _deleted.Remove(name);
            var version = list.Count + 1;
            list.Add(new StoredDefinition(name, version, document, DateTimeOffset.UtcNow));
            return Task.FromResult(new DefinitionSave(version, Changed: true, Created: current is null));
        }
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_versions)
        {
            return Task.FromResult(_versions.ContainsKey(name) && _deleted.Add(name));
        }
    }
}
