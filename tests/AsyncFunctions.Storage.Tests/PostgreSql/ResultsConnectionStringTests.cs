using AsyncFunctions.Storage.PostgreSql;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

public sealed class ResultsConnectionStringTests
{
    [Fact]
    public void The_results_pool_skips_the_reset_and_prepares_statements()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgreSqlDialect.ResultsConnectionString("Host=db;Username=app"));

        Assert.True(built.NoResetOnClose);
        Assert.Equal(32, built.MaxAutoPrepare);
        Assert.Equal("db", built.Host);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData("Host=db;NoResetOnClose=false;MaxAutoPrepare=0")]
    [InlineData("Host=db;no reset on close=false;max auto prepare=0")]
    public void Settings_in_the_connection_string_win(string connectionString)
    {
        var built = new NpgsqlConnectionStringBuilder(PostgreSqlDialect.ResultsConnectionString(connectionString));

        Assert.False(built.NoResetOnClose);
        Assert.Equal(0, built.MaxAutoPrepare);
    }
}
