using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqliteDefinitionAndLogStoreTests(SqliteStoreFixture fixture) : DefinitionAndLogStoreContract(fixture), IClassFixture<SqliteStoreFixture>;
