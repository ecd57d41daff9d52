using System.Data.Common;
using AsyncFunctions.Storage;

namespace AsyncFunctions.Benchmarks.Hosting;

/// <summary>
/// A dialect whose row writes do nothing and succeed at once: a store over it builds exactly the
/// values it would write (parameter objects, JSON text, timestamps) and nothing else, which is how
/// scenario 11 measures that part of the results store alone.
/// </summary>
public sealed class NotWritingDialect(SqlDialect inner) : SqlDialect
{
    private static readonly Task<bool> Written = Task.FromResult(true);

    public override DbConnection CreateConnection() => inner.CreateConnection();

    public override string Page(string selectWhereOrderBy) => inner.Page(selectWhereOrderBy);

    public override object ToDb(DateTimeOffset value) => inner.ToDb(value);

    public override DateTimeOffset FromDb(object value) => inner.FromDb(value);

    public override Task<bool> WriteRowAsync(string sql, object parameters, CancellationToken cancellationToken) => Written;
}
