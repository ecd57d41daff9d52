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

    /// <summary>
    /// Saves <paramref name="document"/> as a new version (1 for a new name) and makes it current,
    /// unless <paramref name="sameAsCurrent"/> says the current version's document already is this
    /// one. The check and the save are one step: concurrent saves of one document (nodes loading
    /// the same folder) store it once.
    /// </summary>
    Task<DefinitionSave> SaveAsync(string name, string document, Func<string, bool>? sameAsCurrent = null, CancellationToken cancellationToken = default);

    /// <summary>Marks the name deleted; returns false when there was no current definition.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}
