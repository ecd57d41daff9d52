namespace AsyncFunctions.Storage;

/// <summary>
/// How the update of an <see cref="UpsertStatement"/> names a column's values: the incoming one
/// (the value the insert would have written) and the stored one (the row as it is).
/// </summary>
public sealed record UpsertRow(Func<string, string> Incoming, Func<string, string> Stored);
