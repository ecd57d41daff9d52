using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class PostgreSqlExecutionStoreTests(PostgreSqlStoreFixture fixture) : ExecutionStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
