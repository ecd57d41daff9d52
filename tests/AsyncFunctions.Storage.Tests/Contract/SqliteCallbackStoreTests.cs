using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqliteCallbackStoreTests(SqliteStoreFixture fixture) : CallbackStoreContract(fixture), IClassFixture<SqliteStoreFixture>;
