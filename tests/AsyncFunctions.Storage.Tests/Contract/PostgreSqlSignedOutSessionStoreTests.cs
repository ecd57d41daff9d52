using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class PostgreSqlSignedOutSessionStoreTests(PostgreSqlStoreFixture fixture) : SignedOutSessionStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
