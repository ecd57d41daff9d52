using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqliteNodeHeartbeatStoreTests(SqliteStoreFixture fixture) : NodeHeartbeatStoreContract(fixture), IClassFixture<SqliteStoreFixture>;
