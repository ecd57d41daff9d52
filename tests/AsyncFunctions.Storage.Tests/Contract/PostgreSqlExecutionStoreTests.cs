using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class PostgreSqlExecutionStoreTests(PostgreSqlStoreFixture fixture) : SqlExecutionStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
