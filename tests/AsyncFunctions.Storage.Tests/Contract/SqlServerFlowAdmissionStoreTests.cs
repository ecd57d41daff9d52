using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqlServerFlowAdmissionStoreTests(SqlServerStoreFixture fixture) : FlowAdmissionStoreContract(fixture), IClassFixture<SqlServerStoreFixture>;
