using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Server.Examples;
using AsyncFunctions.PostgreSql;
using AsyncFunctions.Sqlite;
using AsyncFunctions.SqlServer;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task Functions_registered_with_and_without_settings_are_in_the_catalog()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAsyncFunctions(o => o
            .UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), $"af-reg-{Guid.NewGuid():N}.db")}")
            .AddFunction<EchoFunction>("plain")
            .AddFunction<FailFunction>("described", f => f.Describe("with settings").Retries(2)));
        await using var provider = services.BuildServiceProvider();

        var catalog = provider.GetRequiredService<IFunctionCatalog>();

        Assert.NotNull(await catalog.FindAsync("plain"));
        var described = await catalog.FindAsync("described");
        Assert.Equal("with settings", described!.Description);
        Assert.Equal(2, described.Retry.MaxRetries);
    }

    [Fact]
    public void A_bad_function_name_is_refused_at_registration()
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<ArgumentException>(() => services.AddAsyncFunctions(o => o.UseSqlite("Data Source=x.db").AddFunction<EchoFunction>("send email")));
        Assert.Contains("'send email' is not a valid function name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    [InlineData("sqlserver")]
    public async Task Each_part_of_the_results_store_resolves_to_the_one_store_on_every_provider(string storage)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAsyncFunctions(o => _ = storage switch
        {
            "sqlite" => o.UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), $"af-reg-{Guid.NewGuid():N}.db")}"),
            "postgresql" => o.UsePostgreSql("Host=localhost;Database=unused"),
            _ => o.UseSqlServer("Server=localhost;Database=unused"),
        });
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IExecutionStore>();

        Assert.Same(store, provider.GetRequiredService<IExecutionRecords>());
        Assert.Same(store, provider.GetRequiredService<ISuspensionStore>());
        Assert.Same(store, provider.GetRequiredService<IIdempotencyStore>());
        Assert.Same(store, provider.GetRequiredService<IExecutionMaintenanceStore>());
    }
}
