using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqliteScheduleStoreTests(SqliteStoreFixture fixture) : ScheduleStoreContract(fixture), IClassFixture<SqliteStoreFixture>;
