using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class SqlServerScheduleStoreTests(SqlServerStoreFixture fixture) : ScheduleStoreContract(fixture), IClassFixture<SqlServerStoreFixture>;
