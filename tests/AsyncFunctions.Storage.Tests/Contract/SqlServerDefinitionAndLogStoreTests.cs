using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqlServerDefinitionAndLogStoreTests(SqlServerStoreFixture fixture) : DefinitionAndLogStoreContract(fixture), IClassFixture<SqlServerStoreFixture>;
