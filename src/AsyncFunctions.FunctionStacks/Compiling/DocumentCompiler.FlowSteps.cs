using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Model;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    internal IfStep IfStep(StepSource source)
    {
        var (step, path, main, mainPath, _) = source;
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
        return new IfStep { Path = path, Kind = source.Kind, Branches = branches, Else = otherwise };
    }

    internal SwitchStep SwitchStep(StepSource source)
    {
        var (step, path, main, mainPath, _) = source;
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
        return new SwitchStep { Path = path, Kind = source.Kind, Value = value, Cases = cases, Default = fallback };
    }

    internal LoopStep LoopStep(StepSource source, LoopKind loopKind)
    {
        var (step, path, main, mainPath, _) = source;
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
        return new LoopStep { Path = path, Kind = source.Kind, Loop = loopKind, Subject = subject, IndexVariable = index, ItemVariable = item, Body = body };
    }

    internal BreakStep BreakStep(StepSource source)
    {
        CheckJump(source);
        return new BreakStep { Path = source.Path, Kind = source.Kind };
    }

    internal ContinueStep ContinueStep(StepSource source)
    {
        CheckJump(source);
        return new ContinueStep { Path = source.Path, Kind = source.Kind };
    }

    private void CheckJump(StepSource source)
    {
        var kind = source.Kind.Name;
        if (source.Main?.GetValueKind() != System.Text.Json.JsonValueKind.True)
        {
            Problem(source.MainPath, $"write {{ \"{kind}\": true }}");
        }

        if (_loopDepth == 0)
        {
            Problem(source.Path, $"'{kind}' is only allowed inside a for, foreach or while loop");
        }
    }

    internal ReturnStep ReturnStep(StepSource source) =>
        new() { Path = source.Path, Kind = source.Kind, Value = Value(source.Main, source.MainPath) };
}
