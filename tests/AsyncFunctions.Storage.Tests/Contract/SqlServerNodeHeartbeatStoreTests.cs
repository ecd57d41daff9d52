using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqlServerNodeHeartbeatStoreTests(SqlServerStoreFixture fixture) : NodeHeartbeatStoreContract(fixture), IClassFixture<SqlServerStoreFixture>;
