using System.Globalization;

namespace AsyncFunctions.Sandbox;

/// <summary>
/// Moves the sandbox process into the cgroup v2 directory the server made for it (with its
/// <c>memory.max</c> set), before the process reads its first request, so that everything it
/// allocates is charged there and the kernel ends it past that bound.
/// </summary>
public static class CgroupMembership
{
    /// <summary>The environment variable holding the cgroup directory to join.</summary>
    public const string Variable = "ASYNCFUNCTIONS_SANDBOX_CGROUP";

    /// <returns>The directory joined; null when none was asked for or the move failed (the other bounds still hold).</returns>
    public static string? Join(string? directory)
    {
        if (string.IsNullOrEmpty(directory))
        {
            return null;
        }

        try
        {
            File.AppendAllText(Path.Combine(directory, "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            return directory;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"The sandbox could not join the cgroup {directory}: {ex.Message}");
            return null;
        }
    }
}
