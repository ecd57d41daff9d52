namespace AsyncFunctions.Definitions;

/// <summary>
/// Function documents by name and version. Every saved version is kept, so an execution keeps
/// running the version it started with after the definition is replaced or deleted.
/// </summary>
public interface IFunctionDefinitionStore
{
    /// <summary>The given version, or the current one when <paramref name="version"/> is null (null if deleted).</summary>
    Task<StoredDefinition?> GetAsync(string name, int? version, CancellationToken cancellationToken = default);

    /// <summary>The current version of every function that is not deleted.</summary>
    Task<IReadOnlyList<StoredDefinition>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves a new version (1 for a new name) and makes it current; returns its number.</summary>
    Task<int> SaveAsync(string name, string document, CancellationToken cancellationToken = default);

    /// <summary>Marks the name deleted; returns false when there was no current definition.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}
