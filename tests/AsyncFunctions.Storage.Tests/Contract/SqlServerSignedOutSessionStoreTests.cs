using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqlServerSignedOutSessionStoreTests(SqlServerStoreFixture fixture) : SignedOutSessionStoreContract(fixture), IClassFixture<SqlServerStoreFixture>;
