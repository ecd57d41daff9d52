using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

public sealed class PostgreSqlScheduleStoreTests(PostgreSqlStoreFixture fixture) : ScheduleStoreContract(fixture), IClassFixture<PostgreSqlStoreFixture>;
