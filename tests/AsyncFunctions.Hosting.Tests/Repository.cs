using System.Reflection;

namespace AsyncFunctions.Hosting.Tests;

/// <summary>Where the repository and the server's build output are, as the build saw them.</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepoRoot");

    public static string ServerDirectory { get; } = Metadata("ServerDirectory");

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
