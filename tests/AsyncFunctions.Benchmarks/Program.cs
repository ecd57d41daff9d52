using AsyncFunctions.Benchmarks;
using AsyncFunctions.Benchmarks.Micro;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + BenchOptions.Usage).ConfigureAwait(false);
    return 2;
}

if (options.Micro)
{
    return MicroRunner.Run(options.MicroArgs);
}

var reportPath = options.Out ?? Path.Combine(RepoRoot.Find(), "tests", "AsyncFunctions.Benchmarks", "results", "latest.md");
var commandLine = "dotnet run -c Release --project tests/AsyncFunctions.Benchmarks -- " + string.Join(' ', args);
return await BenchRunner.RunAsync(options, commandLine.TrimEnd(), reportPath, Console.Out).ConfigureAwait(false);
