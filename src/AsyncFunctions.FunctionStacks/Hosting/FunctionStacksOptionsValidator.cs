using Microsoft.Extensions.Options;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>Stops the start with a message naming each bad key of <c>AsyncFunctions:Stacks</c>.</summary>
internal sealed class FunctionStacksOptionsValidator : IValidateOptions<FunctionStacksOptions>
{
    private const string Limits = FunctionStacksOptions.Section + ":Limits";

    public ValidateOptionsResult Validate(string? name, FunctionStacksOptions options)
    {
        var failures = new List<string>();
        void Positive(bool ok, string key)
        {
            if (!ok)
            {
                failures.Add($"{key} must be positive.");
            }
        }

        var limits = options.Limits;
        Positive(limits.JsTimeout > TimeSpan.Zero, $"{Limits}:JsTimeout");
        Positive(limits.JsTotalTime > TimeSpan.Zero, $"{Limits}:JsTotalTime");
        Positive(limits.JsMemoryBytes > 0, $"{Limits}:JsMemoryBytes");
        Positive(limits.JsRecursion > 0, $"{Limits}:JsRecursion");
        if (limits.JsArrayLength < StackLimitOptions.MinJsArrayLength)
        {
            failures.Add($"{Limits}:JsArrayLength must be at least {StackLimitOptions.MinJsArrayLength}.");
        }

        if (limits.JsDepth is <= 0 or > StackLimitOptions.MaxJsDepth)
        {
            failures.Add($"{Limits}:JsDepth must be between 1 and {StackLimitOptions.MaxJsDepth}.");
        }

        Positive(limits.Steps > 0, $"{Limits}:Steps");
        Positive(limits.LoopIterations > 0, $"{Limits}:LoopIterations");
        Positive(limits.VariableBytes > 0, $"{Limits}:VariableBytes");
        Positive(limits.OutputBytes > 0, $"{Limits}:OutputBytes");
        Positive(limits.StateBytes > 0, $"{Limits}:StateBytes");
        Positive(limits.LogBytes > 0, $"{Limits}:LogBytes");
        Positive(limits.AsyncCalls > 0, $"{Limits}:AsyncCalls");
        const string Sandbox = FunctionStacksOptions.Section + ":Sandbox";
        var sandbox = options.Sandbox;
        Positive(sandbox.Processes >= 0, $"{Sandbox}:Processes (or 0 for the number of processors)");
        Positive(sandbox.EvaluationsPerProcess > 0, $"{Sandbox}:EvaluationsPerProcess");
        Positive(sandbox.MemoryCeilingBytes >= 0, $"{Sandbox}:MemoryCeilingBytes (or 0 for twice JsMemoryBytes plus 128 MB)");
        Positive(sandbox.StartTimeout > TimeSpan.Zero, $"{Sandbox}:StartTimeout");
        Positive(sandbox.KillGrace >= TimeSpan.Zero, $"{Sandbox}:KillGrace (or 0)");
        if (sandbox.Cgroup is not ("auto" or "off") && !Path.IsPathFullyQualified(sandbox.Cgroup ?? ""))
        {
            failures.Add($"{Sandbox}:Cgroup must be auto, off or the full path of a cgroup v2 directory (it is '{sandbox.Cgroup}').");
        }

        if (sandbox.IdleTimeout < TimeSpan.FromSeconds(5))
        {
            failures.Add($"{Sandbox}:IdleTimeout must be at least 5 seconds.");
        }

        if (limits.SqliteDatabaseBytes < 0)
        {
            failures.Add($"{Limits}:SqliteDatabaseBytes must be 0 (unbounded) or more.");
        }

        Positive(options.DefaultAwaitTimeoutSeconds > 0, $"{FunctionStacksOptions.Section}:DefaultAwaitTimeoutSeconds");
        if (options.MaxSuspendedAwaitSeconds is <= 0 or > (double)Compiling.StepRanges.SuspendedAwaitTimeoutMax)
        {
            failures.Add($"{FunctionStacksOptions.Section}:MaxSuspendedAwaitSeconds must be more than 0 and at most {Compiling.StepRanges.SuspendedAwaitTimeoutMax} (30 days).");
        }

        if (options.SuspendSleepsLongerThanMilliseconds < 0)
        {
            failures.Add($"{FunctionStacksOptions.Section}:SuspendSleepsLongerThanMilliseconds must not be negative.");
        }

        Positive(options.DefaultRequestTimeoutSeconds > 0, $"{FunctionStacksOptions.Section}:DefaultRequestTimeoutSeconds");
        Positive(options.DefaultQueryTimeoutSeconds > 0, $"{FunctionStacksOptions.Section}:DefaultQueryTimeoutSeconds");

        for (var i = 0; i < options.AllowedNetworks.Count; i++)
        {
            if (!Http.AddressPolicy.TryParseNetwork(options.AllowedNetworks[i], out _))
            {
                failures.Add($"{FunctionStacksOptions.Section}:AllowedNetworks:{i} is '{options.AllowedNetworks[i]}', not a network in CIDR notation with no bits set after the prefix (\"10.20.0.0/16\", \"fd00:1::/64\").");
            }
        }

        foreach (var (connection, settings) in options.Connections)
        {
            if (!options.ConnectionFactories.ContainsKey(connection) && !Data.ConnectionOpener.IsBuiltIn(settings.Provider))
            {
                failures.Add($"{FunctionStacksOptions.Section}:Connections:{connection}:Provider is '{settings.Provider}'; only 'sqlite' is built in (register other drivers in FunctionStacksOptions.ConnectionFactories).");
            }
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
