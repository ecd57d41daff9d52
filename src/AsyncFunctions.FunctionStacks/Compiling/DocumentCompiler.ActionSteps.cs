using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    private static readonly string[] LogLevels = ["debug", "info", "warning", "error"];

    internal CallStep CallStep(StepSource source)
    {
        var (step, path, main, mainPath, _) = source;
        var function = Value(main, mainPath);
        if (function is LiteralValue literal)
        {
            if (!JsonPaths.TryGetString(literal.Value, out var name) || !FunctionName.IsValid(name))
            {
                Problem(mainPath, "must be a function name or an expression that yields one");
            }
            else if (functionExists is not null && name != _name && !functionExists(name))
            {
                Problem(mainPath, $"there is no function named '{name}'");
            }
        }

        return new CallStep { Path = path, Kind = source.Kind, Function = function, Input = OptionalValue(step, path, "input"), Async = LiteralBool(step, path, "async") };
    }

    internal AwaitStep AwaitStep(StepSource source)
    {
        var (step, path, main, mainPath, _) = source;
        return new AwaitStep
        {
            Path = path,
            Kind = source.Kind,
            Ids = Value(main, mainPath),
            TimeoutSeconds = OptionalNumber(step, path, "timeoutSeconds", 0, StepRanges.SuspendedAwaitTimeoutMax),
            Settled = LiteralBool(step, path, "settled"),
        };
    }

    internal LambdaStep? LambdaStep(StepSource source)
    {
        var (_, path, main, mainPath, _) = source;
        if (!JsonPaths.TryGetString(main, out var code) || string.IsNullOrWhiteSpace(code))
        {
            Problem(mainPath, "must be the JavaScript code of a function body, which ends with 'return value;'");
            return null;
        }

        var read = new HashSet<string>(StringComparer.Ordinal);
        var script = ScriptCompiler.Lambda(code, mainPath, _problems, read);
        CheckRead(read, mainPath);
        return script is null ? null : new LambdaStep { Path = path, Kind = source.Kind, Code = script };
    }

    internal QueryStep? QueryStep(StepSource source)
    {
        var (step, path, main, mainPath, _) = source;
        if (!JsonPaths.TryGetString(main, out var sql) || string.IsNullOrWhiteSpace(sql))
        {
            Problem(mainPath, "must be the SQL text; pass values through 'parameters' (@name), never inside the SQL");
        }

        var connection = OptionalText(step, path, "connection");
        if (string.IsNullOrEmpty(connection))
        {
            Problem(path + ".connection", "a 'query' step needs the 'connection' name an administrator configured");
        }

        var parameters = OptionalValue(step, path, "parameters");
        if (parameters is LiteralValue { Value: not (null or JsonObject) })
        {
            Problem(path + ".parameters", "must be an object of parameter values");
        }

        return string.IsNullOrWhiteSpace(sql) || string.IsNullOrEmpty(connection)
            ? null
            : new QueryStep
            {
                Path = path,
                Kind = source.Kind,
                Sql = sql,
                Connection = connection,
                Parameters = parameters,
                TimeoutSeconds = OptionalNumber(step, path, "timeoutSeconds", StepRanges.QueryTimeoutMin, StepRanges.TimeoutMax),
            };
    }

    internal SleepStep SleepStep(StepSource source) => new()
    {
        Path = source.Path,
        Kind = source.Kind,
        Milliseconds = OptionalNumber(source.Json, source.Path, "sleep", 0, Model.SleepStep.MaxMilliseconds) ?? SleepProblem(source.MainPath),
    };

    private LiteralValue SleepProblem(string path)
    {
        Problem(path, "must be a number of milliseconds from 0 to 86400000, or an expression");
        return new LiteralValue(0);
    }

    internal LogStep LogStep(StepSource source)
    {
        var (step, path, main, mainPath, _) = source;
        var level = OptionalText(step, path, "level") ?? "info";
        if (!LogLevels.Contains(level))
        {
            Problem(path + ".level", $"must be one of {string.Join(", ", LogLevels)}");
        }

        return new LogStep { Path = path, Kind = source.Kind, Message = Value(main, mainPath), Level = level, Data = OptionalValue(step, path, "data") };
    }
}
