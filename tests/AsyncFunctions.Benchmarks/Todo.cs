namespace AsyncFunctions.Benchmarks;

/// <summary>What this benchmark does not measure yet; listed in every report.</summary>
public static class Todo
{
    public static readonly string[] Items =
    [
        "TODO: function-stack interpreter micro-benchmarks (--micro): the AsyncFunctions.Stacks interpreter is not part of this build.",
    ];
}
