using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class PostgreSqlNodeHeartbeatStoreTests(PostgreSqlStoreFixture fixture) : NodeHeartbeatStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
