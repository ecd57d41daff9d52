using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class PostgreSqlDebounceStoreTests(PostgreSqlStoreFixture fixture) : DebounceStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
