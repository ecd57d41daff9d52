using Npgsql;

namespace AsyncFunctions.Storage.Tests.Fixtures;

/// <summary>Which PostgreSQL transactions last wrote an execution's row and its Hangfire job.</summary>
public static class WritingTransactions
{
    /// <summary>The transactions that last wrote the execution's row and its Hangfire job (PostgreSQL's xmin), and the job's state.</summary>
    public static async Task<(string Row, string Job, string State)> ReadAsync(string connectionString, string id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT xmin::text FROM af_executions WHERE id = @id), j.xmin::text, j.statename FROM hangfire.job j WHERE j.id = CAST(@id AS bigint)", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }
}
