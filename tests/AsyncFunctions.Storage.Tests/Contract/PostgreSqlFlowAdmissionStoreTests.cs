using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class PostgreSqlFlowAdmissionStoreTests(PostgreSqlStoreFixture fixture) : FlowAdmissionStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
