using System.Net;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Server.Tests;

/// <summary><c>/health/live</c> answers while the process runs; <c>/health/ready</c> only while the store answers with its whole schema. Neither needs a key.</summary>
public sealed class HealthTests : IDisposable
{
    private readonly TestApp _app = new(workers: 0);

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/health")]
    public async Task Health_answers_without_a_key(string path)
    {
        using var response = await _app.ClientAs(null).GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_is_503_when_the_schema_is_not_applied_while_live_stays_200()
    {
        using (var healthy = await _app.ClientAs(null).GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        // A column of the schema goes missing, as on a database whose scripts were not all applied.
        using (var connection = new SqliteConnection($"Data Source={_app.DatabasePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE af_executions DROP COLUMN caller_role";
            command.ExecuteNonQuery();
        }

        using var ready = await _app.ClientAs(null).GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var live = await _app.ClientAs(null).GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    public void Dispose() => _app.Dispose();
}
