using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqliteExecutionStoreTests(SqliteStoreFixture fixture) : SqlExecutionStoreContract(fixture), IClassFixture<SqliteStoreFixture>;
