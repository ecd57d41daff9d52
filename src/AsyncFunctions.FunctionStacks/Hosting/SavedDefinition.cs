namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>What saving a document did: the current version, and whether it is new.</summary>
/// <param name="Changed">False when the document equals the current version, which is then kept.</param>
/// <param name="Created">True when the name had no current definition before.</param>
public sealed record SavedDefinition(string Name, int Version, bool Changed, bool Created);
