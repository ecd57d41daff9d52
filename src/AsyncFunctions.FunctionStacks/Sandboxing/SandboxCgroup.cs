using System.Globalization;

namespace AsyncFunctions.FunctionStacks.Sandboxing;

/// <summary>
/// Linux cgroup v2 memory bounds for sandbox processes: each process gets a cgroup of its own
/// under a parent that has the memory controller enabled for its children, with <c>memory.max</c>
/// (what the process may hold in RAM, its runtime and native memory included), <c>memory.swap.max</c>
/// 0 and <c>memory.oom.group</c> 1, so that the kernel ends it when it goes past that. The process
/// joins its cgroup itself before it reads a request.
/// </summary>
/// <remarks>
/// The parent is <see cref="Hosting.SandboxOptions.Cgroup"/> when it names a directory, or, with
/// <c>auto</c>, the parent of the server's own cgroup, when that one enables the memory controller
/// for its children and lets the server create cgroups in it: the layout of a delegated cgroup
/// whose main process sits in a child (systemd's <c>Delegate=yes</c> with <c>DelegateSubgroup=</c>,
/// or a container whose entry point moved itself into a leaf). Anywhere else (cgroup v1, no memory
/// controller, no write access) there is none, <see cref="Find"/> says why, and the runtime's heap
/// limit and the address-space limit still hold.
/// </remarks>
public sealed class SandboxCgroup
{
    private const string Prefix = "asyncfunctions-sandbox-";
    private int _created;

    private SandboxCgroup(string parent, long memoryMax)
    {
        Parent = parent;
        MemoryMax = memoryMax;
    }

    /// <summary>The directory under which each sandbox process gets its cgroup.</summary>
    public string Parent { get; }

    /// <summary>The <c>memory.max</c> of each sandbox process's cgroup, in bytes.</summary>
    public long MemoryMax { get; }

    /// <summary>
    /// The cgroup parent to use for <paramref name="setting"/> (<c>auto</c>, <c>off</c> or a
    /// directory), or null with the reason in <paramref name="reason"/>.
    /// </summary>
    public static SandboxCgroup? Find(string? setting, long memoryMax, out string? reason,
        string procSelfCgroup = "/proc/self/cgroup", string mountInfo = "/proc/self/mountinfo")
    {
        reason = null;
        if (string.Equals(setting, "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!OperatingSystem.IsLinux() && procSelfCgroup == "/proc/self/cgroup")
        {
            reason = "cgroups are Linux's";
            return null;
        }

        string parent;
        if (string.IsNullOrEmpty(setting) || string.Equals(setting, "auto", StringComparison.OrdinalIgnoreCase))
        {
            var own = OwnCgroup(procSelfCgroup, mountInfo, out reason);
            if (own is null)
            {
                return null;
            }

            parent = own;
        }
        else
        {
            parent = setting;
        }

        return Usable(parent, memoryMax, out reason) ? new SandboxCgroup(parent, memoryMax) : null;
    }

    /// <summary>Makes the cgroup of one sandbox process and sets its bounds; null (the process runs without one) when that fails.</summary>
    public string? Create() =>
        CreateAt(Path.Combine(Parent, Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Interlocked.Increment(ref _created).ToString(CultureInfo.InvariantCulture)), MemoryMax);

    private static string? CreateAt(string path, long memoryMax)
    {
        try
        {
            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, "memory.max"), memoryMax.ToString(CultureInfo.InvariantCulture));
            TryWrite(Path.Combine(path, "memory.swap.max"), "0");
            TryWrite(Path.Combine(path, "memory.oom.group"), "1");
            return path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Remove(path);
            return null;
        }
    }

    /// <summary>Removes a process's cgroup once the process has ended (a cgroup with a process in it cannot be removed).</summary>
    public static void Remove(string path)
    {
        try
        {
            Directory.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Still busy or already gone: the next start of the server removes nothing of it, the kernel frees it when empty.
        }
    }

    /// <summary>The parent of the server's own cgroup v2 directory (the root itself when the server is in the root), from its membership and the cgroup2 mount.</summary>
    private static string? OwnCgroup(string procSelfCgroup, string mountInfo, out string? reason)
    {
        reason = null;
        string? relative = null;
        if (File.Exists(procSelfCgroup))
        {
            foreach (var line in File.ReadLines(procSelfCgroup))
            {
                // cgroup v2 membership is the line with hierarchy 0 and no controller list: "0::/path".
                if (line.StartsWith("0::", StringComparison.Ordinal))
                {
                    relative = line[3..];
                }
            }
        }

        string? mount = null;
        if (File.Exists(mountInfo))
        {
            foreach (var line in File.ReadLines(mountInfo))
            {
                // "id parent major:minor root mount-point options - fstype source super-options"
                var fields = line.Split(' ');
                var dash = Array.IndexOf(fields, "-");
                if (dash > 4 && dash + 1 < fields.Length && fields[dash + 1] == "cgroup2")
                {
                    mount = fields[4];
                    break;
                }
            }
        }

        if (relative is null || mount is null)
        {
            reason = "no cgroup v2 hierarchy is mounted for this process";
            return null;
        }

        // The root cgroup may hold processes beside children with controllers; any other cgroup may
        // not, so the sandboxes go beside the server's cgroup, under its parent.
        var trimmed = relative.Trim('/');
        var parent = trimmed.Length == 0 ? "" : Path.GetDirectoryName(trimmed) ?? "";
        return Path.Combine(mount, parent);
    }

    private static bool Usable(string parent, long memoryMax, out string? reason)
    {
        reason = null;
        var subtree = Path.Combine(parent, "cgroup.subtree_control");
        if (!File.Exists(subtree))
        {
            reason = $"{parent} is not a cgroup v2 directory";
            return false;
        }

        if (!File.ReadAllText(subtree).Split(' ', '\n').Contains("memory"))
        {
            var controllers = Path.Combine(parent, "cgroup.controllers");
            var available = File.Exists(controllers) ? File.ReadAllText(controllers).Trim() : "";
            reason = available.Split(' ').Contains("memory")
                ? $"{parent} does not enable the memory controller for its children (cgroup.subtree_control)"
                : $"the cgroup v2 hierarchy has no memory controller at {parent} (controllers: {(available.Length == 0 ? "none" : available)})";
            return false;
        }

        var probe = CreateAt(Path.Combine(parent, Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-probe"), memoryMax);
        if (probe is null)
        {
            reason = $"cannot create a cgroup with memory.max under {parent}";
            return false;
        }

        Remove(probe);
        return true;
    }

    private static void TryWrite(string file, string value)
    {
        try
        {
            File.WriteAllText(file, value);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not every kernel has swap accounting or group OOM kills; memory.max holds without them.
        }
    }
}
