using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqlServerCallbackStoreTests(SqlServerStoreFixture fixture) : CallbackStoreContract(fixture), IClassFixture<SqlServerStoreFixture>;
