using AsyncFunctions.FunctionStacks.Model;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    private static readonly string[] SetOperations = ["set", "push", "increment", "remove"];

    internal VarStep? VarStep(StepSource source)
    {
        var (step, path, main, mainPath, _) = source;
        if (!step.ContainsKey("value"))
        {
            Problem(path + ".value", "a 'var' step needs a 'value'");
        }

        var value = Value(step["value"], path + ".value");
        var name = VariableName(main, mainPath);
        Define(name);
        return name is null ? null : new VarStep { Path = path, Kind = source.Kind, Name = name, Value = value };
    }

    internal SetStep? SetStep(StepSource source)
    {
        var (step, path, main, mainPath, _) = source;
        VariablePath? target = null;
        if (!JsonPaths.TryGetString(main, out var text) || (target = VariablePath.TryParse(text)) is null)
        {
            Problem(mainPath, "must be a variable path such as user.address.city or items[0].name");
        }
        else if (!_defined.Contains(target.Root))
        {
            Problem(mainPath, $"updates the variable '{target.Root}' before any step creates it");
        }

        var operation = Model.SetOperation.Set;
        if (OptionalText(step, path, "op") is { } op)
        {
            var index = Array.IndexOf(SetOperations, op);
            if (index < 0)
            {
                Problem(path + ".op", $"must be one of {string.Join(", ", SetOperations)}");
            }
            else
            {
                operation = (SetOperation)index;
            }
        }

        if (operation != Model.SetOperation.Remove && !step.ContainsKey("value"))
        {
            Problem(path + ".value", $"a 'set' step with op '{SetOperations[(int)operation]}' needs a 'value'");
        }

        var value = step.ContainsKey("value") ? Value(step["value"], path + ".value") : null;
        return target is null ? null : new SetStep { Path = path, Kind = source.Kind, Target = target, Operation = operation, Value = value };
    }
}
