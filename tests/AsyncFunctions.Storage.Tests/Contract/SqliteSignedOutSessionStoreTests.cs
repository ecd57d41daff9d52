using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqliteSignedOutSessionStoreTests(SqliteStoreFixture fixture) : SignedOutSessionStoreContract(fixture), IClassFixture<SqliteStoreFixture>;
