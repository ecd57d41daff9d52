using System.Text.Json.Nodes;

namespace AsyncFunctions.Benchmarks.Micro;

/// <summary>The function documents the micro-benchmarks compile and run.</summary>
public static class MicroDocuments
{
    /// <summary>The expression of the expression benchmarks.</summary>
    public const string Expression = "=$input.a * 2 + $var.b.length";

    /// <summary>
    /// Ten steps run (var, foreach with two iterations of set, if with push, var of an object,
    /// precondition) and twelve expressions evaluated, the response's two included.
    /// </summary>
    public const string TenSteps = """
        {
          "name": "micro.ten_steps",
          "inputs": [
            { "name": "a", "type": "int", "required": true },
            { "name": "items", "type": "array", "required": true }
          ],
          "stack": [
            { "var": "id", "value": "=`order-${$input.a}`" },
            { "var": "total", "value": 0 },
            { "var": "tags", "value": [] },
            { "foreach": "=$input.items", "item": "item", "do": [
                { "set": "total", "op": "increment", "value": "=$var.item.qty * $var.item.price" } ] },
            { "if": "=$var.total > 10",
              "then": [ { "set": "tags", "op": "push", "value": "=`big-${$var.id}`" } ],
              "else": [ { "set": "tags", "op": "push", "value": "small" } ] },
            { "var": "summary", "value": { "id": "=$var.id", "total": "=$var.total", "count": "=$input.items.length" } },
            { "precondition": "=$var.summary.total >= 0", "code": "micro.negative" }
          ],
          "response": { "summary": "=$var.summary", "tags": "=$var.tags" }
        }
        """;

    /// <summary>No steps and no response: what every run costs before its first step.</summary>
    public const string Empty = """{ "name": "micro.empty", "stack": [] }""";

    /// <summary>Ten var steps of literal values: the interpreter's own cost per step, no JavaScript.</summary>
    public const string TenLiteralSteps = """
        {
          "name": "micro.literal_steps",
          "stack": [
            { "var": "v0", "value": 0 }, { "var": "v1", "value": "one" }, { "var": "v2", "value": true },
            { "var": "v3", "value": 3.5 }, { "var": "v4", "value": null }, { "var": "v5", "value": 5 },
            { "var": "v6", "value": "six" }, { "var": "v7", "value": false }, { "var": "v8", "value": 8 },
            { "var": "v9", "value": "nine" }
          ]
        }
        """;

    /// <summary>
    /// An expression that calls a method: it cannot be shown to stay within its memory by reading
    /// it, so it is evaluated in a sandbox process (the expression above, which only reads its
    /// bindings, runs in the server's engine).
    /// </summary>
    public const string CallingExpression = "=$var.b.slice(0, 2).length + $input.a";

    /// <summary>A literal var step, then one var step whose value is <see cref="Expression"/>.</summary>
    public static readonly string OneExpression = Expressions(1);

    /// <summary>A literal var step, then ten var steps whose value is <see cref="Expression"/>.</summary>
    public static readonly string TenExpressions = Expressions(10);

    /// <summary>A literal var step, then one var step whose value is <see cref="CallingExpression"/>.</summary>
    public static readonly string OneCallingExpression = Expressions(1, CallingExpression);

    /// <summary>A literal var step, then ten var steps whose value is <see cref="CallingExpression"/>.</summary>
    public static readonly string TenCallingExpressions = Expressions(10, CallingExpression);

    /// <summary>A literal var step with five users, then a multi-line lambda over them.</summary>
    public const string Lambda = """
        {
          "name": "micro.lambda",
          "stack": [
            { "var": "users", "value": [
                { "id": 1, "name": "ann", "age": 34 }, { "id": 2, "name": "bob", "age": 17 },
                { "id": 3, "name": "cy", "age": 52 }, { "id": 4, "name": "dee", "age": 29 },
                { "id": 5, "name": "eve", "age": 41 } ] },
            { "lambda": "const byId = {};\nlet total = 0;\nfor (const u of $var.users) {\n  byId[u.id] = { name: u.name.toUpperCase(), adult: u.age >= 18 };\n  total += u.age;\n}\nreturn { byId, average: total / $var.users.length };",
              "as": "result" }
          ]
        }
        """;

    /// <summary>The input of the stacks that declare one.</summary>
    public static JsonObject Input() => new()
    {
        ["a"] = 7,
        ["items"] = new JsonArray(new JsonObject { ["qty"] = 2, ["price"] = 3.5 }, new JsonObject { ["qty"] = 1, ["price"] = 5 }),
    };

    private static string Expressions(int count, string expression = Expression)
    {
        var steps = Enumerable.Range(0, count).Select(i => $$"""{ "var": "r{{i}}", "value": "{{expression}}" }""");
        return $$"""
            {
              "name": "micro.expressions_{{count}}{{(expression == Expression ? "" : "_calling")}}",
              "inputs": [ { "name": "a", "type": "int", "required": true } ],
              "stack": [ { "var": "b", "value": "hello" }, {{string.Join(", ", steps)}} ]
            }
            """;
    }
}
