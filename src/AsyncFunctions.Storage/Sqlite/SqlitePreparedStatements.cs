using System.Collections.Concurrent;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Storage.Sqlite;

/// <summary>
/// The compiled statements of one long-lived connection (the writer's, or a kept reading one). Compiling the
/// results table's upsert costs several times more CPU than running it, and every execution runs
/// three of them; a kept <see cref="SqliteCommand"/> keeps its compiled statement, so each write
/// only binds its values and steps. Parameters are named by the public properties of an object,
/// as with Dapper. Used by one thread at a time: the writer's, or a reader's that rented its connection
/// (<see cref="SqliteReadConnections"/>).
/// </summary>
internal sealed class SqlitePreparedStatements : IDisposable
{
    /// <summary>The platform writes through a handful of fixed statements; more texts than this means texts built per call, which are not kept.</summary>
    private const int MaxKept = 32;

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, Statement> _statements = new(StringComparer.Ordinal);

    public SqlitePreparedStatements(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Commands built so far: once per statement text, again only after a failure or a new parameter shape.</summary>
    public long Built { get; private set; }

    /// <summary>Statements kept right now.</summary>
    public int Kept => _statements.Count;

    /// <summary>Runs <paramref name="sql"/> with the values of <paramref name="parameters"/>; returns the rows it changed.</summary>
    public int Execute(string sql, object parameters, SqliteTransaction transaction)
    {
        var command = Bind(sql, parameters);
        command.Transaction = transaction;
        try
        {
            return command.ExecuteNonQuery();
        }
        catch
        {
            Forget(sql, command);
            throw;
        }
    }

    /// <summary>
    /// Runs the query <paramref name="sql"/> with the values of <paramref name="parameters"/> and
    /// maps its one row as Dapper's QuerySingleOrDefault does; default when there is none.
    /// </summary>
    public T? QuerySingleOrDefault<T>(string sql, object parameters)
    {
        if (typeof(T).IsValueType || typeof(T) == typeof(string))
        {
            // A single value is not a row Dapper's row parser maps; such reads are not the hot ones.
            return _connection.QuerySingleOrDefault<T>(sql, parameters);
        }

        var command = Bind(sql, parameters);
        command.Transaction = null;
        try
        {
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return default;
            }

            var statement = _statements[sql];
            // The columns of a fixed text do not change: its row parser is built once.
            var parse = statement.RowParser as Func<System.Data.Common.DbDataReader, T>
                ?? (Func<System.Data.Common.DbDataReader, T>)(statement.RowParser = reader.GetRowParser<T>());
            var row = parse(reader);
            return reader.Read()
                ? throw new InvalidOperationException("The query returned more than one row where at most one was expected.")
                : row;
        }
        catch
        {
            Forget(sql, command);
            throw;
        }
    }

    /// <summary>The kept command of <paramref name="sql"/> (built when missing) with the values of <paramref name="parameters"/> bound.</summary>
    private SqliteCommand Bind(string sql, object parameters)
    {
        var type = parameters.GetType();
        if (!_statements.TryGetValue(sql, out var statement) || statement.ParameterType != type)
        {
            statement?.Command.Dispose();
            if (statement is null && _statements.Count >= MaxKept)
            {
                Clear();
            }

            statement = Prepare(sql, type);
            _statements[sql] = statement;
        }

        var command = statement.Command;
        var properties = statement.Properties;
        for (var i = 0; i < properties.Length; i++)
        {
            command.Parameters[i].Value = properties[i].GetValue(parameters) ?? DBNull.Value;
        }

        return command;
    }

    /// <summary>A statement that failed is compiled afresh next time rather than trusted in whatever state it was left.</summary>
    private void Forget(string sql, SqliteCommand command)
    {
        _statements.Remove(sql);
        command.Dispose();
    }

    public void Dispose() => Clear();

    private void Clear()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Command.Dispose();
        }

        _statements.Clear();
    }

    private Statement Prepare(string sql, Type type)
    {
        var properties = Properties.GetOrAdd(type, static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray());
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        Built++;
        foreach (var property in properties)
        {
            // Values the statement does not name are skipped when binding, as Dapper leaves them out.
            command.Parameters.Add(new SqliteParameter("@" + property.Name, DBNull.Value));
        }

        return new Statement(command, type, properties);
    }

    private sealed record Statement(SqliteCommand Command, Type ParameterType, PropertyInfo[] Properties)
    {
        /// <summary>For a query, Dapper's parser of its rows (a <c>Func&lt;DbDataReader, T&gt;</c>), once the first row was read.</summary>
        public object? RowParser { get; set; }
    }
}
