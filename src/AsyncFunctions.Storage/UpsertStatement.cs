namespace AsyncFunctions.Storage;

/// <summary>
/// An insert that, when a row with the same key exists, updates it instead (or, without
/// <see cref="Set"/>, leaves it alone). Its columns and values are written once; the update is
/// written in terms of the incoming and the stored values, so each database's
/// <see cref="SqlDialect.Upsert"/> can spell it its own way (<c>ON CONFLICT</c>, or SQL Server's
/// UPDATE-then-INSERT) without restating the columns.
/// </summary>
public sealed class UpsertStatement
{
    /// <summary>The name the standard form gives the stored row.</summary>
    public const string StoredAlias = "e";

    public required string Table { get; init; }

    /// <summary>The key columns the conflict is detected on; each must be among <see cref="Values"/>.</summary>
    public required IReadOnlyList<string> Keys { get; init; }

    /// <summary>Each inserted column and the SQL expression of its value (a parameter, typed by the dialect's hooks).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Values { get; init; }

    /// <summary>The SET list of the update; null: a stored row is left as it is.</summary>
    public Func<UpsertRow, string>? Set { get; init; }

    /// <summary>The condition under which a stored row is updated; null: always.</summary>
    public Func<UpsertRow, string>? When { get; init; }

    public string ColumnList => string.Join(", ", Values.Select(v => v.Key));

    public string ValueList => string.Join(", ", Values.Select(v => v.Value));

    /// <summary>The expression of <paramref name="column"/>'s incoming value, as inserted.</summary>
    public string ValueOf(string column) =>
        Values.FirstOrDefault(v => v.Key == column).Value ?? throw new ArgumentException($"The upsert of {Table} writes no column {column}.", nameof(column));
}
