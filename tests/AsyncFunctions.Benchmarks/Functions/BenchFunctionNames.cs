namespace AsyncFunctions.Benchmarks.Functions;

/// <summary>The functions every platform host of the benchmark registers.</summary>
public static class BenchFunctionNames
{
    public const string NoOp = "bench.noop";
    public const string Echo = "bench.echo";
    public const string Sleep = "bench.sleep";
    public const string FanOut = "bench.fanout";
    public const string Chain = "bench.chain";
    public const string Fail = "bench.fail";
}
