using AsyncFunctions.Sandbox;

// A sandbox process: the server starts it with its memory ceiling set (GCHeapHardLimit), and it
// joins the cgroup made for it (where there is one) and bounds its address space before it reads
// the first request.
CgroupMembership.Join(Environment.GetEnvironmentVariable(CgroupMembership.Variable));
MemoryCeiling.Apply();
return SandboxWorker.Run(Console.OpenStandardInput(), Console.OpenStandardOutput());
