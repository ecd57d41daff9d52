using AsyncFunctions.Storage.SqlServer;
using System.Reflection;
using AsyncFunctions.Storage;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace AsyncFunctions.Storage.Tests.SqlServer;

/// <summary>
/// Runs without a SQL Server: every script of db/sqlserver and every statement the SQL Server
/// provider sends must parse as T-SQL (SQL Server 2022 grammar).
/// </summary>
public sealed class TransactSqlParseTests
{
    private static readonly string RepoRoot = typeof(TransactSqlParseTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    public static TheoryData<string> MigrationScripts()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot, "db", "sqlserver"), "*.sql").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    public static TheoryData<string, string> ProviderStatements()
    {
        var data = new TheoryData<string, string>();
        var dialect = new SqlServerDialect("Server=unused");

        // Every SQL text the dialect exposes as a string property (CreateSql, ApplySql, ...).
        foreach (var property in typeof(SqlServerDialect).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.PropertyType == typeof(string) && p.Name.EndsWith("Sql", StringComparison.Ordinal)))
        {
            data.Add(property.Name, (string)property.GetValue(dialect)!);
        }

        // The statement lists (the purge), each statement on its own.
        foreach (var property in typeof(SqlServerDialect).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.PropertyType == typeof(IReadOnlyList<string>) && p.Name.EndsWith("Sql", StringComparison.Ordinal)))
        {
            var statements = (IReadOnlyList<string>)property.GetValue(dialect)!;
            for (var i = 0; i < statements.Count; i++)
            {
                data.Add($"{property.Name}[{i}]", statements[i]);
            }
        }

        // The list query with no filter and with every filter.
        data.Add(nameof(SqlDialect.ListExecutionsSql) + " (no filter)", dialect.ListExecutionsSql(new Executions.ExecutionQuery()));
        data.Add(nameof(SqlDialect.ListExecutionsSql) + " (every filter)", dialect.ListExecutionsSql(new Executions.ExecutionQuery(
            Function: "f", Status: Executions.ExecutionStatus.Failed, ParentId: "p", CallerKey: "k", Cursor: "c")
        {
            ErrorCode = "e",
            CreatedFrom = DateTimeOffset.UnixEpoch,
            CreatedBefore = DateTimeOffset.UnixEpoch,
        }));

        // A release's first round trip, both ways.
        data.Add(nameof(SqlDialect.ReleaseHeldSlotsSql) + " (final)", dialect.ReleaseHeldSlotsSql(suspending: false));
        data.Add(nameof(SqlDialect.ReleaseHeldSlotsSql) + " (suspending)", dialect.ReleaseHeldSlotsSql(suspending: true));

        // The takeover's statements on Hangfire's queue table, in Hangfire.SqlServer's default schema.
        data.Add(nameof(SqlDialect.FetchedQueueRowsSql), dialect.FetchedQueueRowsSql("HangFire"));
        data.Add(nameof(SqlDialect.DeleteQueueRowsSql), dialect.DeleteQueueRowsSql("HangFire"));

        // The migration lock and every other T-SQL constant of the provider.
        foreach (var field in typeof(SqlServerDialect).GetFields(BindingFlags.Public | BindingFlags.Static)
                     .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("Sql", StringComparison.Ordinal)))
        {
            data.Add(field.Name, (string)field.GetRawConstantValue()!);
        }

        return data;
    }

    [Fact]
    public void There_are_scripts_and_statements_to_check()
    {
        Assert.NotEmpty(MigrationScripts());
        Assert.True(ProviderStatements().Count() >= 40);
    }

    [Theory]
    [MemberData(nameof(MigrationScripts))]
    public void Migration_script_parses(string fileName)
    {
        AssertParses(File.ReadAllText(Path.Combine(RepoRoot, "db", "sqlserver", fileName)));
    }

    [Theory]
    [MemberData(nameof(ProviderStatements))]
    public void Provider_statement_parses(string name, string sql)
    {
        Assert.False(string.IsNullOrWhiteSpace(sql), name);

        // Dapper turns "IN @list" into "IN (@list1, @list2, ...)" before SQL Server sees it.
        AssertParses(System.Text.RegularExpressions.Regex.Replace(sql, @"\bIN (@\w+)", "IN ($1_1, $1_2)"));
    }

    private static void AssertParses(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}")));
    }
}
