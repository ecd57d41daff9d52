using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Model;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    internal TryStep TryStep(StepSource source)
    {
        var (step, path, main, mainPath, _) = source;
        var body = Block(main, mainPath);
        var errorVariable = Name(step, path, "error", required: false) ?? "error";
        if (!step.ContainsKey("catch") && !step.ContainsKey("finally"))
        {
            Problem(path, "a 'try' step needs a 'catch' or a 'finally' (or both)");
        }

        Define(errorVariable);
        var handler = step.ContainsKey("catch") ? Block(step["catch"], path + ".catch") : null;
        var cleanup = step.ContainsKey("finally") ? Block(step["finally"], path + ".finally") : null;
        return new TryStep { Path = path, Kind = source.Kind, Body = body, Catch = handler, ErrorVariable = errorVariable, Finally = cleanup };
    }

    internal ThrowStep ThrowStep(StepSource source)
    {
        var (step, path, main, mainPath, _) = source;
        return new ThrowStep
        {
            Path = path,
            Kind = source.Kind,
            Code = ErrorCode(main, mainPath),
            Message = OptionalValue(step, path, "message"),
            Data = OptionalValue(step, path, "data"),
        };
    }

    internal PreconditionStep PreconditionStep(StepSource source)
    {
        var (step, path, main, mainPath, _) = source;
        return new PreconditionStep
        {
            Path = path,
            Kind = source.Kind,
            Condition = Condition(main, mainPath),
            Code = step.ContainsKey("code") ? ErrorCode(step["code"], path + ".code") : null,
            Message = OptionalValue(step, path, "message"),
            Data = OptionalValue(step, path, "data"),
        };
    }

    /// <summary>An error code: a non-empty text, or an expression that yields one.</summary>
    private ValueTemplate ErrorCode(JsonNode? node, string path)
    {
        var code = Value(node, path);
        if (code is LiteralValue literal && (!JsonPaths.TryGetString(literal.Value, out var text) || string.IsNullOrWhiteSpace(text)))
        {
            Problem(path, "an error code must be a non-empty text such as \"order.not_found\", or an expression");
        }

        return code;
    }
}
