using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Model;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    private VarStep? VarStep(JsonObject step, string path, JsonNode? main, string mainPath)
    {
        if (!step.ContainsKey("value"))
        {
            Problem(path + ".value", "a 'var' step needs a 'value'");
        }

        var value = Value(step["value"], path + ".value");
        var name = VariableName(main, mainPath);
        Define(name);
        return name is null ? null : new VarStep { Path = path, Name = name, Value = value };
    }

    private SetStep? SetStep(JsonObject step, string path, JsonNode? main, string mainPath)
    {
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
        return target is null ? null : new SetStep { Path = path, Target = target, Operation = operation, Value = value };
    }

    private IfStep IfStep(JsonObject step, string path, JsonNode? main, string mainPath)
    {
        var branches = new List<(ValueTemplate, StepBlock)> { (Condition(main, mainPath), RequiredBlock(step, path, "then")) };
        if (step["elseIf"] is JsonArray elseIfs)
        {
            for (var i = 0; i < elseIfs.Count; i++)
            {
                var branchPath = JsonPaths.Index(path + ".elseIf", i);
                if (elseIfs[i] is not JsonObject branch)
                {
                    Problem(branchPath, "must be an object { \"if\": condition, \"then\": [steps] }");
                    continue;
                }

                UnknownFields(branch, branchPath, ["if", "then"], "an 'elseIf' branch");
                if (!branch.ContainsKey("if"))
                {
                    Problem(branchPath + ".if", "an 'elseIf' branch needs an 'if' condition");
                }

                branches.Add((Condition(branch["if"], branchPath + ".if"), RequiredBlock(branch, branchPath, "then")));
            }
        }
        else if (step.ContainsKey("elseIf"))
        {
            Problem(path + ".elseIf", "must be an array of { \"if\", \"then\" } branches");
        }

        var otherwise = step.ContainsKey("else") ? Block(step["else"], path + ".else") : null;
        return new IfStep { Path = path, Branches = branches, Else = otherwise };
    }

    private SwitchStep SwitchStep(JsonObject step, string path, JsonNode? main, string mainPath)
    {
        var value = Value(main, mainPath);
        var cases = new List<(ValueTemplate, StepBlock)>();
        if (step["cases"] is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                var casePath = JsonPaths.Index(path + ".cases", i);
                if (array[i] is not JsonObject entry)
                {
                    Problem(casePath, "must be an object { \"value\": ..., \"then\": [steps] }");
                    continue;
                }

                UnknownFields(entry, casePath, ["value", "then"], "a switch case");
                if (!entry.ContainsKey("value"))
                {
                    Problem(casePath + ".value", "a case needs a 'value'");
                }

                cases.Add((Value(entry["value"], casePath + ".value"), RequiredBlock(entry, casePath, "then")));
            }
        }
        else
        {
            Problem(path + ".cases", "a 'switch' step needs a 'cases' array");
        }

        var fallback = step.ContainsKey("default") ? Block(step["default"], path + ".default") : null;
        return new SwitchStep { Path = path, Value = value, Cases = cases, Default = fallback };
    }

    private LoopStep LoopStep(string kind, JsonObject step, string path, JsonNode? main, string mainPath)
    {
        var loopKind = kind switch { "for" => LoopKind.For, "foreach" => LoopKind.Foreach, _ => LoopKind.While };
        var index = Name(step, path, "index", required: false);
        var item = loopKind == LoopKind.Foreach ? Name(step, path, "item", required: true) : null;
        ValueTemplate subject;
        if (loopKind == LoopKind.While)
        {
            Define(index);
            subject = Condition(main, mainPath);
        }
        else
        {
            subject = Value(main, mainPath);
            if (loopKind == LoopKind.For && subject is LiteralValue literal &&
                (!JsonPaths.TryGetDecimal(literal.Value, out var count) || count < 0 || count != decimal.Truncate(count)))
            {
                Problem(mainPath, "the count must be a whole number of at least 0, or an expression");
            }

            if (loopKind == LoopKind.Foreach && subject is LiteralValue { Value: not JsonArray })
            {
                Problem(mainPath, "must be an array or an expression that yields one");
            }

            Define(index);
            Define(item);
        }

        _loopDepth++;
        var body = RequiredBlock(step, path, "do");
        _loopDepth--;
        return new LoopStep { Path = path, Kind = loopKind, Subject = subject, IndexVariable = index, ItemVariable = item, Body = body };
    }

    private Step JumpStep(string kind, string path, JsonNode? main, string mainPath)
    {
        if (main?.GetValueKind() != System.Text.Json.JsonValueKind.True)
        {
            Problem(mainPath, $"write {{ \"{kind}\": true }}");
        }

        if (_loopDepth == 0)
        {
            Problem(path, $"'{kind}' is only allowed inside a for, foreach or while loop");
        }

        return kind == "break" ? new BreakStep { Path = path } : new ContinueStep { Path = path };
    }
}
