using AsyncFunctions.Storage;
using AsyncFunctions.Storage.SqlServer;
using Microsoft.Data.SqlClient;

namespace AsyncFunctions.SqlServer;

/// <summary>
/// The start-up check of <see cref="SqlServerProviderOptions.CheckConnectionLimit"/>: every node's
/// pool (Hangfire.SqlServer and the results store share it) against <c>@@MAX_CONNECTIONS</c>.
/// </summary>
internal static class SqlServerConnectionCheck
{
    private const string Section = SqlServerProviderOptions.Section;

    public static async Task RunAsync(string connectionString, SqlServerProviderOptions options, CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(connectionString);
        int maxConnections;
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = new SqlCommand(SqlServerDialect.MaxConnectionsSql, connection);
            maxConnections = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        Budget(options, maxConnections).EnsureFits(
            $"Lower {Section}:MaxPoolSize, correct {Section}:Nodes, or raise the server's user connections ({Section}:CheckConnectionLimit false skips this check).");
    }

    internal static ConnectionBudget Budget(SqlServerProviderOptions options, int maxConnections) => new(
        [($"pooled ({Section}:MaxPoolSize, Hangfire and the results store)", options.MaxPoolSize)],
        (options.Nodes, $"{Section}:Nodes"),
        maxConnections,
        $"@@MAX_CONNECTIONS {maxConnections}");
}
