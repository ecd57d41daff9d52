using AsyncFunctions.FunctionStacks.Sandboxing;
using AsyncFunctions.Sandbox;
using Xunit.Abstractions;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>
/// The cgroup v2 memory bound of sandbox processes, on a directory laid out as a cgroup v2
/// hierarchy (the kernel's own files cannot be had on every machine that runs the tests), and
/// what the machine running the tests offers.
/// </summary>
public sealed class SandboxCgroupTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cgroup-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_parent_that_enables_memory_for_its_children_gets_a_cgroup_per_sandbox_with_its_bounds()
    {
        var (self, mounts) = Hierarchy(controllers: "cpu memory pids", subtree: "cpu memory");

        var cgroup = SandboxCgroup.Find("auto", 123_456_789, out var reason, self, mounts);

        Assert.Null(reason);
        Assert.NotNull(cgroup);
        Assert.Equal(_root, cgroup.Parent);
        var path = cgroup.Create();
        Assert.NotNull(path);
        Assert.Equal(_root, Path.GetDirectoryName(path));
        Assert.Equal("123456789", File.ReadAllText(Path.Combine(path, "memory.max")));
        Assert.Equal("0", File.ReadAllText(Path.Combine(path, "memory.swap.max")));
        Assert.Equal("1", File.ReadAllText(Path.Combine(path, "memory.oom.group")));
        Assert.NotEqual(path, cgroup.Create());
    }

    [Theory]
    [InlineData("hugetlb", "", "no memory controller")]
    [InlineData("cpu memory", "cpu", "does not enable the memory controller")]
    public void A_hierarchy_that_cannot_bound_memory_gives_no_cgroup_and_says_why(string controllers, string subtree, string why)
    {
        var (self, mounts) = Hierarchy(controllers, subtree);

        Assert.Null(SandboxCgroup.Find("auto", 1, out var reason, self, mounts));
        Assert.Contains(why, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Off_asks_for_no_cgroup_and_a_named_directory_is_used_as_the_parent()
    {
        var (self, mounts) = Hierarchy("memory", "memory");
        Assert.Null(SandboxCgroup.Find("off", 1, out var reason, self, mounts));
        Assert.Null(reason);

        var named = Directory.CreateDirectory(Path.Combine(_root, "sandboxes")).FullName;
        File.WriteAllText(Path.Combine(named, "cgroup.subtree_control"), "memory\n");
        Assert.Equal(named, SandboxCgroup.Find(named, 1, out _, self, mounts)?.Parent);
    }

    [Fact]
    public async Task A_sandbox_process_joins_its_cgroup_before_it_is_ready()
    {
        var (self, mounts) = Hierarchy("memory", "memory");
        var cgroup = SandboxCgroup.Find("auto", 512L * 1024 * 1024, out _, self, mounts)!;

        using var process = await SandboxProcess.StartAsync(256L * 1024 * 1024, cgroup, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), CancellationToken.None);

        var joined = Directory.GetFiles(_root, "cgroup.procs", SearchOption.AllDirectories).Where(f => Path.GetDirectoryName(f) != _root).ToArray();
        var procs = Assert.Single(joined);
        Assert.True(int.TryParse(File.ReadAllText(procs), out var pid) && pid != Environment.ProcessId, File.ReadAllText(procs));
    }

    [Fact]
    public void Joining_a_directory_that_is_not_a_cgroup_fails_without_ending_the_process()
    {
        Assert.Null(CgroupMembership.Join(Path.Combine(_root, "missing")));
        Assert.Null(CgroupMembership.Join(null));
    }

    [Fact]
    public void This_machine_says_what_bounds_its_sandboxes()
    {
        var cgroup = SandboxCgroup.Find("auto", 1L << 30, out var reason);
        output.WriteLine(cgroup is null ? $"no cgroup v2 memory bound here: {reason}" : $"cgroup v2 memory bound under {cgroup.Parent}");
        Assert.True(cgroup is not null || !string.IsNullOrEmpty(reason));
    }

    /// <summary>A cgroup v2 mount at the temporary root, with the test process in its child "server".</summary>
    private (string Self, string Mounts) Hierarchy(string controllers, string subtree)
    {
        File.WriteAllText(Path.Combine(_root, "cgroup.controllers"), controllers + "\n");
        File.WriteAllText(Path.Combine(_root, "cgroup.subtree_control"), subtree + "\n");
        Directory.CreateDirectory(Path.Combine(_root, "server"));
        var self = Path.Combine(_root, "self-cgroup");
        File.WriteAllText(self, "0::/server\n");
        var mounts = Path.Combine(_root, "mountinfo");
        File.WriteAllText(mounts, $"24 1 0:22 / /proc rw,nosuid - proc proc rw\n36 25 0:30 / {_root} rw,nosuid,nodev - cgroup2 cgroup2 rw,nsdelegate\n");
        return (self, mounts);
    }
}
