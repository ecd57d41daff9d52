using System.Reflection;
using System.Text.RegularExpressions;

namespace AsyncFunctions.Storage.Tests;

/// <summary>
/// SQL text has one home: the dialects (<see cref="SqlDialect"/>'s partial files and each
/// database's dialect class). A statement written anywhere else under src/ fails here.
/// </summary>
public sealed partial class SqlHomeTests
{
    private static readonly string RepoRoot = typeof(SqlHomeTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    [Fact]
    public void No_sql_statement_is_written_outside_the_dialects()
    {
        var source = Path.Combine(RepoRoot, "src");
        var outside = new List<string>();
        var inside = 0;
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepoRoot, file).Replace('\\', '/');
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal) || !Statement().IsMatch(lines[i]))
                {
                    continue;
                }

                if (DialectFile().IsMatch(relative))
                {
                    inside++;
                }
                else
                {
                    outside.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(outside.Count == 0, "SQL outside the dialects:" + Environment.NewLine + string.Join(Environment.NewLine, outside));

        // The pattern finds the statements where they belong, so it would find them elsewhere.
        Assert.True(inside >= 40, $"found only {inside} statement lines in the dialects");
    }

    [Theory]
    [InlineData("var sql = \"SELECT id FROM af_executions\";")]
    [InlineData("\"INSERT INTO af_webhooks (execution_id) VALUES (@Id)\"")]
    [InlineData("$\"UPDATE af_executions SET status = @Status\"")]
    [InlineData("\"UPDATE af_functions WITH (UPDLOCK) SET x = 1\"")]
    [InlineData("\"DELETE FROM af_execution_waits WHERE waiter_id = @Id\"")]
    [InlineData("ON CONFLICT (id) DO NOTHING")]
    [InlineData("\"PRAGMA synchronous=NORMAL;\"")]
    [InlineData("$\"LISTEN {channel}\"")]
    public void The_pattern_recognises_a_statement(string line)
    {
        Assert.Matches(Statement(), line);
    }

    [Theory]
    [InlineData("src/AsyncFunctions.Storage/SqlDialect.cs", true)]
    [InlineData("src/AsyncFunctions.Storage/SqlDialect.Executions.cs", true)]
    [InlineData("src/AsyncFunctions.Storage/SqlServer/SqlServerDialect.cs", true)]
    [InlineData("src/AsyncFunctions.Storage/DapperExecutionRecords.cs", false)]
    [InlineData("src/AsyncFunctions.Storage/PostgreSql/PostgreSqlCompletionListener.cs", false)]
    [InlineData("src/AsyncFunctions.Core/Executions/ExecutionStatusRules.cs", false)]
    public void Only_the_dialect_files_are_homes_of_sql(string path, bool home)
    {
        Assert.Equal(home, DialectFile().IsMatch(path));
    }

    [GeneratedRegex(@"\bSELECT\s|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+(SET|WITH)\b|\bDELETE\s+FROM\b|\bMERGE\s+INTO\b|\bON\s+CONFLICT\b|\bPRAGMA\s+\w+\s*=|\bLISTEN\s")]
    private static partial Regex Statement();

    [GeneratedRegex(@"^src/AsyncFunctions\.Storage/(SqlDialect(\.\w+)?|\w+/\w+Dialect)\.cs$")]
    private static partial Regex DialectFile();
}
