using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.PostgreSql;
using AsyncFunctions.SqlServer;

namespace AsyncFunctions.Server.Tests;

/// <summary>The providers' settings map onto Hangfire's options and reject bad values naming the key.</summary>
public sealed class ProviderOptionsTests
{
    [Fact]
    public void PostgreSql_defaults_favour_latency_and_leave_the_schema_to_the_migration()
    {
        var hangfire = new PostgreSqlProviderOptions().ToHangfireOptions();

        Assert.True(hangfire.EnableLongPolling);
        Assert.True(hangfire.UseSlidingInvisibilityTimeout);
        Assert.True(hangfire.QueuePollInterval <= TimeSpan.FromMilliseconds(100));
        Assert.False(hangfire.PrepareSchemaIfNecessary);

        // A lock left by a killed node frees its job after a minute, not Hangfire.PostgreSql's ten.
        Assert.Equal(TimeSpan.FromMinutes(1), hangfire.DistributedLockTimeout);

        // A job fetched and then left by its worker (or by a killed node) runs again after a minute, not five.
        Assert.Equal(TimeSpan.FromMinutes(1), hangfire.InvisibilityTimeout);
    }

    [Theory]
    [InlineData(HangfireSchemaSetup.WithMigrations, false)]
    [InlineData(HangfireSchemaSetup.Hangfire, true)]
    [InlineData(HangfireSchemaSetup.External, false)]
    public void Only_the_Hangfire_setup_lets_Hangfire_prepare_its_schema(HangfireSchemaSetup setup, bool prepares)
    {
        Assert.Equal(prepares, new PostgreSqlProviderOptions { HangfireSchema = setup }.ToHangfireOptions().PrepareSchemaIfNecessary);
        Assert.Equal(prepares, new SqlServerProviderOptions { HangfireSchema = setup }.ToHangfireOptions().PrepareSchemaIfNecessary);
    }

    [Fact]
    public void A_short_invisibility_timeout_reaches_hangfire()
    {
        var hangfire = new PostgreSqlProviderOptions { InvisibilityTimeout = TimeSpan.FromSeconds(5) }.ToHangfireOptions();

        Assert.Equal(TimeSpan.FromSeconds(5), hangfire.InvisibilityTimeout);
    }

    [Fact]
    public void A_too_short_postgresql_poll_interval_fails_naming_the_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PostgreSqlProviderOptions { QueuePollInterval = TimeSpan.FromMilliseconds(10) }.Validate());

        Assert.Contains("AsyncFunctions:Storage:PostgreSql:QueuePollInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SqlServer_defaults_to_long_polling_and_a_negative_interval_fails_naming_the_key()
    {
        Assert.Equal(TimeSpan.Zero, new SqlServerProviderOptions().ToHangfireOptions().QueuePollInterval);

        var error = Assert.Throws<InvalidOperationException>(() => new SqlServerProviderOptions { QueuePollInterval = TimeSpan.FromSeconds(-1) }.Validate());

        Assert.Contains("AsyncFunctions:Storage:SqlServer:QueuePollInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_writes_in_hangfires_transaction_are_opt_in_and_keep_scope_enlistment_on()
    {
        var options = new PostgreSqlProviderOptions { ConfigureHangfire = o => o.EnableTransactionScopeEnlistment = false, CreateJobsInOneTransaction = false };

        Assert.False(options.RecordInJobTransaction);
        options.RecordInJobTransaction = true;
        // Without it Hangfire's commit would open a transaction of its own beside the row's.
        Assert.True(options.ToHangfireOptions().EnableTransactionScopeEnlistment);
        options.RecordInJobTransaction = false;
        Assert.False(options.ToHangfireOptions().EnableTransactionScopeEnlistment);
    }

    [Fact]
    public void One_transaction_starts_are_on_by_default_and_off_with_group_committed_writes()
    {
        var options = new PostgreSqlProviderOptions { ConfigureHangfire = o => o.EnableTransactionScopeEnlistment = false };

        Assert.True(options.CreateJobsInOneTransaction);
        // Hangfire's commit must join the start's scope.
        Assert.True(options.ToHangfireOptions().EnableTransactionScopeEnlistment);

        // A batch of writes cannot join a job's transaction: asking for batches turns them off, without an error.
        options.GroupCommitWrites = true;
        options.Validate();
        Assert.False(options.ToHangfireOptions().EnableTransactionScopeEnlistment);
    }

    [Fact]
    public void The_hook_for_other_hangfire_settings_runs_last()
    {
        var hangfire = new PostgreSqlProviderOptions
        {
            ConfigureHangfire = o => o.QueuePollInterval = TimeSpan.FromSeconds(2),
        }.ToHangfireOptions();

        Assert.Equal(TimeSpan.FromSeconds(2), hangfire.QueuePollInterval);
    }

    [Fact]
    public void Sql_server_pool_size_replaces_the_connection_strings_own()
    {
        var pooled = new SqlServerProviderOptions { MaxPoolSize = 30 }.PooledConnectionString("Server=db;Database=af;Max Pool Size=200;Min Pool Size=50");
        var builder = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(pooled);

        Assert.Equal(30, builder.MaxPoolSize);
        Assert.Equal(30, builder.MinPoolSize);
        Assert.Equal(25, new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(new SqlServerProviderOptions().PooledConnectionString("Server=db")).MaxPoolSize);
    }

    [Theory]
    [InlineData(1, 1, "MaxPoolSize")]
    [InlineData(25, 0, "Nodes")]
    public void Pool_settings_out_of_range_are_rejected_naming_the_key(int maxPoolSize, int nodes, string key)
    {
        var postgres = Assert.Throws<InvalidOperationException>(() => new PostgreSqlProviderOptions { MaxPoolSize = maxPoolSize, Nodes = nodes }.Validate());
        var sqlServer = Assert.Throws<InvalidOperationException>(() => new SqlServerProviderOptions { MaxPoolSize = maxPoolSize, Nodes = nodes }.Validate());

        Assert.Contains($"AsyncFunctions:Storage:PostgreSql:{key}", postgres.Message, StringComparison.Ordinal);
        Assert.Contains($"AsyncFunctions:Storage:SqlServer:{key}", sqlServer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_budget_names_every_part_and_fails_only_past_the_server_limit()
    {
        var budget = new AsyncFunctions.Storage.ConnectionBudget([("pooled (MaxPoolSize)", 25), ("listening (WorkerCount)", 20), ("completion listener", 1)], (2, "Nodes"), 97, "max_connections 100 less 3 superuser_reserved_connections");

        Assert.Equal(46, budget.PerNode);
        Assert.Equal(92, budget.Total);
        budget.EnsureFits("advice");
        var error = Assert.Throws<InvalidOperationException>(() => (budget with { Nodes = (3, "Nodes") }).EnsureFits("Lower MaxPoolSize."));
        Assert.Equal(
            "Too many database connections: 3 node(s) (Nodes) x 46 connections each (25 pooled (MaxPoolSize) + 20 listening (WorkerCount) + 1 completion listener) = 138; " +
            "the server accepts 97 (max_connections 100 less 3 superuser_reserved_connections). Lower MaxPoolSize.",
            error.Message);
    }
}
