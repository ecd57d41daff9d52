using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace AsyncFunctions.Storage.PostgreSql;

/// <summary>
/// The parameters of a statement read off a parameter object the way Dapper reads them (its
/// public properties, those the statement names as <c>@Name</c>), for commands that Dapper does not
/// run: the batches of <see cref="PostgreSqlGroupCommitWriter"/>. A null is sent typed by its
/// property where that type is known, as Dapper does, so the server need not infer it. Values are
/// read when the write is queued, so the caller's object is not touched afterwards.
/// </summary>
internal sealed partial class StatementParameters
{
    private static readonly ConcurrentDictionary<(Type Type, string Sql), Binding[]> Bindings = new();

    private readonly Binding[] _bindings;
    private readonly object?[] _values;

    private StatementParameters(Binding[] bindings, object?[] values)
    {
        _bindings = bindings;
        _values = values;
    }

    public static StatementParameters From(string sql, object parameters)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        var bindings = Bindings.GetOrAdd((parameters.GetType(), sql), static key => Bind(key.Type, key.Sql));
        var values = new object?[bindings.Length];
        for (var i = 0; i < bindings.Length; i++)
        {
            values[i] = bindings[i].Property.GetValue(parameters);
        }

        return new StatementParameters(bindings, values);
    }

    public void AddTo(NpgsqlParameterCollection target)
    {
        for (var i = 0; i < _bindings.Length; i++)
        {
            var binding = _bindings[i];
            var parameter = new NpgsqlParameter { ParameterName = binding.Property.Name, Value = _values[i] ?? DBNull.Value };
            if (_values[i] is null && binding.NullType is { } type)
            {
                parameter.NpgsqlDbType = type;
            }

            target.Add(parameter);
        }
    }

    private static Binding[] Bind(Type type, string sql)
    {
        var named = ParameterName().Matches(sql).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return type.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && named.Contains(p.Name))
            .Select(p => new Binding(p, NullTypeOf(p.PropertyType)))
            .ToArray();
    }

    private static NpgsqlDbType? NullTypeOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => NpgsqlDbType.Text,
        var t when t == typeof(int) => NpgsqlDbType.Integer,
        var t when t == typeof(long) => NpgsqlDbType.Bigint,
        var t when t == typeof(bool) => NpgsqlDbType.Boolean,
        var t when t == typeof(DateTime) => NpgsqlDbType.TimestampTz,
        _ => null,
    };

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterName();

    private sealed record Binding(PropertyInfo Property, NpgsqlDbType? NullType);
}
