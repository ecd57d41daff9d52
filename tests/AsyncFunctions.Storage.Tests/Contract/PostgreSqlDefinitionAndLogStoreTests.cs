using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class PostgreSqlDefinitionAndLogStoreTests(PostgreSqlStoreFixture fixture) : DefinitionAndLogStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
