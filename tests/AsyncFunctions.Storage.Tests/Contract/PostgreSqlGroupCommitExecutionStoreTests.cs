using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>The whole results-table contract with the row writes group-committed (results beside jobs in Redis).</summary>
public sealed class PostgreSqlGroupCommitExecutionStoreTests(PostgreSqlGroupCommitStoreFixture fixture) : SqlExecutionStoreContract(fixture), IClassFixture<PostgreSqlGroupCommitStoreFixture>;
