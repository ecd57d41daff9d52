namespace AsyncFunctions.Definitions;

/// <summary>
/// Told when this node saved a new version of a function document (through the API, a folder
/// load or a stack's own save), after it committed, so the node can act on the change at once
/// (a job server taking up a queue the function newly names). Other nodes see the change later,
/// by their own checks.
/// </summary>
public interface IDefinitionSaveObserver
{
    /// <summary>
    /// <paramref name="name"/>'s current version changed. A failure is the observer's own: the save
    /// has committed, so it is not undone.
    /// </summary>
    Task SavedAsync(string name, CancellationToken cancellationToken);
}
