using AsyncFunctions.Hangfire.Startup;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Storage;
using AsyncFunctions.Storage.PostgreSql;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// The start-up check of <see cref="PostgreSqlProviderOptions.CheckConnectionLimit"/>: what the
/// configured nodes may open against what the server accepts from this login.
/// </summary>
internal static partial class PostgreSqlConnectionCheck
{
    private const string Section = PostgreSqlProviderOptions.Section;

    public static async Task RunAsync(IServiceProvider services, PostgreSqlProviderOptions options, CancellationToken cancellationToken)
    {
        var workers = services.GetRequiredService<IOptions<ServerOptions>>().Value.WorkerCount;
        var jobsHere = services.GetRequiredService<StorageProvider>().Name == "PostgreSql";
        if (jobsHere && workers >= options.MaxPoolSize)
        {
            throw new InvalidOperationException(
                $"{Section}:MaxPoolSize ({options.MaxPoolSize}) must exceed {ServerOptions.Section}:WorkerCount ({workers}): " +
                "a worker changing a job's state holds one pooled connection for Hangfire's lock while it writes the result on another.");
        }

        var dialect = services.GetRequiredService<PostgreSqlDialect>();
        var connection = dialect.CreateConnection();
        Limits limits;
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            limits = await connection.QuerySingleAsync<Limits>(new CommandDefinition(PostgreSqlDialect.ConnectionLimitsSql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var budget = Budget(options, workers, jobsHere, limits);
        budget.EnsureFits(
            $"Lower {Section}:MaxPoolSize or {ServerOptions.Section}:WorkerCount, correct {Section}:Nodes, or raise the server's max_connections " +
            $"({Section}:CheckConnectionLimit false skips this check, for a connection pooler in front of the server).");
        LogBudget(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PostgreSqlConnectionCheck)), budget.Describe());
    }

    internal static ConnectionBudget Budget(PostgreSqlProviderOptions options, int workers, bool jobsHere, Limits limits)
    {
        var parts = new List<(string, int)> { ($"pooled ({Section}:MaxPoolSize, Hangfire and the results store)", options.MaxPoolSize) };
        if (jobsHere && options.EnableLongPolling && workers > 0)
        {
            parts.Add(($"listening for new jobs ({Section}:EnableLongPolling)", 1));
        }

        if (options.ListenForCompletions)
        {
            parts.Add(($"listening for finished executions ({Section}:ListenForCompletions)", 1));
        }

        var allowed = limits.MaxConnections;
        var because = $"max_connections {limits.MaxConnections}";
        if (!limits.IsSuperuser)
        {
            allowed -= limits.SuperuserReserved + limits.Reserved;
            because += $" less {limits.SuperuserReserved} superuser_reserved_connections" + (limits.Reserved > 0 ? $" and {limits.Reserved} reserved_connections" : "");
            if (limits.RoleLimit >= 0 && limits.RoleLimit < allowed)
            {
                allowed = limits.RoleLimit;
                because = $"the login role's CONNECTION LIMIT {limits.RoleLimit}";
            }
        }

        return new ConnectionBudget(parts, (options.Nodes, $"{Section}:Nodes"), allowed, because);
    }

    [LoggerMessage(LogLevel.Information, "PostgreSQL connections: {Budget}.")]
    private static partial void LogBudget(ILogger logger, string budget);

    /// <summary>The row of <see cref="PostgreSqlDialect.ConnectionLimitsSql"/>.</summary>
    internal sealed class Limits
    {
        public int MaxConnections { get; init; }

        public int SuperuserReserved { get; init; }

        public int Reserved { get; init; }

        public bool IsSuperuser { get; init; }

        public int RoleLimit { get; init; }
    }
}
