using System.Globalization;
using System.Text;
using Npgsql;

namespace AsyncFunctions.Benchmarks.Storages;

/// <summary>
/// What PostgreSQL itself holds for a job that did not complete: its queue entries (with the time a
/// worker claimed each), the transactions that last wrote its row, its Hangfire job and its queue
/// entry (xmin: equal ids mean one transaction), and its state rows.
/// </summary>
public static class PostgresJobDetails
{
    public static async Task<string> DescribeAsync(string connectionString, string id)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var jobId))
        {
            return "not a Hangfire.PostgreSql job id";
        }

        var text = new StringBuilder();
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Enlist = false }.ToString());
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await AppendAsync(connection, text, "queue entries", "SELECT id, queue, fetchedat, xmin::text FROM hangfire.jobqueue WHERE jobid = @job", jobId, id).ConfigureAwait(false);
            await AppendAsync(connection, text, "row xmin", "SELECT xmin::text FROM af_executions WHERE id = @id", jobId, id).ConfigureAwait(false);
            await AppendAsync(connection, text, "job xmin", "SELECT xmin::text, statename, createdat FROM hangfire.job WHERE id = @job", jobId, id).ConfigureAwait(false);
            await AppendAsync(connection, text, "states", "SELECT id, name, createdat, xmin::text FROM hangfire.state WHERE jobid = @job ORDER BY id", jobId, id).ConfigureAwait(false);
            await AppendAsync(connection, text, "locks", "SELECT resource, acquired FROM hangfire.lock WHERE resource LIKE '%' || @id || '%'", jobId, id).ConfigureAwait(false);
        }

        return text.ToString();
    }

    private static async Task AppendAsync(NpgsqlConnection connection, StringBuilder text, string name, string sql, long jobId, string id)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (sql.Contains("@job", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("job", jobId);
        }

        if (sql.Contains("@id", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("id", id);
        }

        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                rows.Add(string.Join(" ", values.Select(v => v is DateTime at ? at.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) : Convert.ToString(v, CultureInfo.InvariantCulture))));
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"{name}: [{string.Join(" | ", rows)}]; ");
    }
}
