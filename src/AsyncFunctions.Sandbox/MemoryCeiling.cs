using System.Runtime.InteropServices;

namespace AsyncFunctions.Sandbox;

/// <summary>
/// The operating system's bound on a sandbox process: with <see cref="GrowthVariable"/> set, the
/// process limits its address space (RLIMIT_AS) to what it has mapped at start plus that many
/// bytes, so nothing in it, managed or native, can take more. The managed heap is bounded before
/// that by the runtime's GCHeapHardLimit, which the server sets when it starts the process.
/// </summary>
public static partial class MemoryCeiling
{
    /// <summary>The environment variable holding the bytes of address space allowed beyond the start.</summary>
    public const string GrowthVariable = "ASYNCFUNCTIONS_SANDBOX_ADDRESS_SPACE_GROWTH";

    private const int AddressSpace = 9; // RLIMIT_AS on Linux

    /// <returns>The address-space limit set, or null when none was asked for or the system has none.</returns>
    public static ulong? Apply()
    {
        if (!OperatingSystem.IsLinux() || !ulong.TryParse(Environment.GetEnvironmentVariable(GrowthVariable), out var growth))
        {
            return null;
        }

        var mapped = MappedBytes();
        if (mapped is null)
        {
            return null;
        }

        var limit = new ResourceLimit { Current = mapped.Value + growth, Maximum = mapped.Value + growth };
        return SetResourceLimit(AddressSpace, ref limit) == 0 ? limit.Current : null;
    }

    /// <summary>The process's mapped address space (VmSize), in bytes.</summary>
    private static ulong? MappedBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmSize:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmSize:".Length..].Trim().Split(' ')[0];
                return ulong.TryParse(kilobytes, out var kb) ? kb * 1024 : null;
            }
        }

        return null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetResourceLimit(int resource, ref ResourceLimit limit);
}
