using AsyncFunctions.Storage;

namespace AsyncFunctions.Storage.Tests.Fixtures;

/// <summary>A database with the shipped schema applied, for one contract test class.</summary>
public interface IStoreFixture
{
    /// <summary>Why the database is unavailable; the tests then report themselves skipped.</summary>
    string? SkipReason { get; }

    /// <summary>A new dialect instance over the fixture's database (each call is an independent "node").</summary>
    SqlDialect CreateDialect();

    /// <summary>A dialect whose database cannot be reached (nothing listens there, or its file cannot be opened).</summary>
    SqlDialect CreateUnreachableDialect();
}
