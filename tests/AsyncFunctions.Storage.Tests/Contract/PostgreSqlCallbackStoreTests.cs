using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class PostgreSqlCallbackStoreTests(PostgreSqlStoreFixture fixture) : CallbackStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
