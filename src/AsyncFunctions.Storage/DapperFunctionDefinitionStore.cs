using AsyncFunctions.Definitions;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>Function documents in af_functions / af_function_versions, over Dapper.</summary>
public sealed class DapperFunctionDefinitionStore(SqlDialect dialect, TimeProvider time) : IFunctionDefinitionStore
{
    public async Task<StoredDefinition?> GetAsync(string name, int? version, CancellationToken cancellationToken = default)
    {
        var sql = version is null ? dialect.CurrentDefinitionSql : dialect.DefinitionVersionSql;
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<DefinitionRow>(new CommandDefinition(
            sql, new { Name = name, Version = version, Deleted = false }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToDefinition(dialect);
    }

    public async Task<IReadOnlyList<StoredDefinition>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<DefinitionRow>(new CommandDefinition(
            dialect.ListDefinitionsSql,
            new { Deleted = false },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToDefinition(dialect)).ToList();
    }

    public Task<DefinitionSave> SaveAsync(string name, string document, Func<string, bool>? sameAsCurrent = null, CancellationToken cancellationToken = default)
    {
        var at = dialect.ToDb(time.GetUtcNow());
        return dialect.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                dialect.LockDefinitionSql, new { Name = name, At = at, Deleted = true }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var current = await connection.QuerySingleOrDefaultAsync<DefinitionRow>(new CommandDefinition(
                dialect.CurrentDefinitionSql, new { Name = name, Deleted = false }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (current is not null && sameAsCurrent?.Invoke(current.Document) == true)
            {
                return new DefinitionSave(current.Version, Changed: false, Created: false);
            }

            var version = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                dialect.NextDefinitionVersionSql, new { Name = name, At = at, NotDeleted = false }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                dialect.InsertDefinitionVersionSql,
                new { Name = name, Version = version, Document = document, At = at },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new DefinitionSave(version, Changed: true, Created: current is null);
        }, transactional: true, cancellationToken);
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var at = dialect.ToDb(time.GetUtcNow());
        return dialect.WriteAsync(async (connection, transaction) =>
        {
            var rows = await connection.ExecuteAsync(new CommandDefinition(
                dialect.DeleteDefinitionSql,
                new { Name = name, At = at, Deleted = true, NotDeleted = false },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return rows > 0;
        }, transactional: false, cancellationToken);
    }

    private sealed class DefinitionRow
    {
        public string Name { get; set; } = "";

        public int Version { get; set; }

        public string Document { get; set; } = "";

        public object CreatedAt { get; set; } = null!;

        public StoredDefinition ToDefinition(SqlDialect dialect) => new(Name, Version, Document, dialect.FromDb(CreatedAt));
    }
}
