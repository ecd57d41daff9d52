using BenchmarkDotNet.Running;

namespace AsyncFunctions.Benchmarks.Micro;

/// <summary>
/// <c>--micro [ARGS]</c>: the function-stack interpreter micro-benchmarks. ARGS go to
/// BenchmarkDotNet's switcher (<c>--filter *Expression*</c>, <c>--job short</c>, <c>--list flat</c>, ...);
/// without a filter every benchmark runs.
/// </summary>
public static class MicroRunner
{
    /// <summary>The line the scenario report lists under "Not measured".</summary>
    public const string NotInThisReport = "function-stack interpreter: measured separately by the micro-benchmarks (--micro, BenchmarkDotNet); see docs/benchmarks.md.";

    public static readonly Type[] Benchmarks = [typeof(CompileBenchmarks), typeof(StackBenchmarks), typeof(ExpressionBenchmarks), typeof(LambdaBenchmarks)];

    /// <returns>0 when every benchmark ran, 1 when one failed or BenchmarkDotNet refused the run, 2 for bad arguments or a filter that matches nothing.</returns>
    public static int Run(string[] args)
    {
        string[] switches = Has(args, "--filter", "-f") ? args : [.. args, "--filter", "*"];
        var config = MicroConfig.Create(commandLineNamesJob: Has(args, "--job", "-j"));
        var summaries = BenchmarkSwitcher.FromTypes(Benchmarks).Run(switches, config).ToList();
        if (summaries.Count == 0)
        {
            return Has(args, "--list", "--info", "--help", "-h", "--version") ? 0 : 2;
        }

        return summaries.TrueForAll(s => !s.HasCriticalValidationErrors && s.Reports.All(r => r.Success)) ? 0 : 1;
    }

    private static bool Has(string[] args, params string[] names) =>
        args.Any(a => names.Any(n => a.Equals(n, StringComparison.OrdinalIgnoreCase) || a.StartsWith(n + "=", StringComparison.OrdinalIgnoreCase)));
}
