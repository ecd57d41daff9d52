using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqliteDebounceStoreTests(SqliteStoreFixture fixture) : DebounceStoreContract(fixture), IClassFixture<SqliteStoreFixture>;
