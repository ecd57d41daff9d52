namespace AsyncFunctions.Definitions;

/// <summary>One saved version of a function document.</summary>
public sealed record StoredDefinition(string Name, int Version, string Document, DateTimeOffset CreatedAt);
