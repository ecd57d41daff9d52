using System.Text.Json.Nodes;
using AsyncFunctions.Logging;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>Execution log messages in af_execution_logs, over Dapper.</summary>
public sealed class DapperExecutionLogStore(SqlDialect dialect) : IExecutionLogStore
{
    public Task AppendAsync(string executionId, IReadOnlyList<ExecutionLogEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        var rows = entries.Select(e => new
        {
            ExecutionId = executionId,
            At = dialect.ToDb(e.At),
            e.Level,
            e.Message,
            Data = e.Data?.ToJsonString(),
        }).ToList();
        return dialect.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                dialect.AppendLogSql,
                rows,
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return rows.Count;
        }, transactional: true, cancellationToken);
    }

    public async Task<IReadOnlyList<ExecutionLogEntry>> ListAsync(string executionId, int limit = 1000, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<LogRow>(new CommandDefinition(
            dialect.ListLogsSql,
            new { ExecutionId = executionId, Limit = limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new ExecutionLogEntry(dialect.FromDb(r.At), r.Level, r.Message, r.Data is null ? null : JsonNode.Parse(r.Data))).ToList();
    }

    private sealed class LogRow
    {
        public object At { get; set; } = null!;

        public string Level { get; set; } = "";

        public string Message { get; set; } = "";

        public string? Data { get; set; }
    }
}
