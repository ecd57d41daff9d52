using AsyncFunctions.Sandbox;

// A sandbox process: the server starts it with its memory ceiling set (GCHeapHardLimit), and it
// bounds its address space before it reads the first request.
MemoryCeiling.Apply();
return SandboxWorker.Run(Console.OpenStandardInput(), Console.OpenStandardOutput());
