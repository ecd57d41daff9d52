using System.ComponentModel;
using AsyncFunctions.Executions;

namespace AsyncFunctions.AspNetCore.OpenApi;

[OneOfSchema(typeof(SyncExecutionResult), typeof(ExecutionRecord))]
[Description("Mode \"sync\": the output (SyncExecutionResult). An async start repeated with the same Idempotency-Key: the execution the first one started (ExecutionRecord).")]
public sealed class StartAnswer;
