namespace AsyncFunctions.Definitions;

/// <summary>What a save did: the current version afterwards, whether it is new, and whether the name had no current version before.</summary>
public sealed record DefinitionSave(int Version, bool Changed, bool Created);
