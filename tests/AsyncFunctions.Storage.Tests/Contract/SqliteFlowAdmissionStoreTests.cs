using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqliteFlowAdmissionStoreTests(SqliteStoreFixture fixture) : FlowAdmissionStoreContract(fixture), IClassFixture<SqliteStoreFixture>;
