using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqlServerDebounceStoreTests(SqlServerStoreFixture fixture) : DebounceStoreContract(fixture), IClassFixture<SqlServerStoreFixture>;
