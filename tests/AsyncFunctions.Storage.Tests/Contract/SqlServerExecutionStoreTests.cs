using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqlServerExecutionStoreTests(SqlServerStoreFixture fixture) : SqlExecutionStoreContract(fixture), IClassFixture<SqlServerStoreFixture>;
