using Acornima;
using Acornima.Ast;

namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>
/// Decides which expressions may run in the server's own engine: those that name nothing but the
/// bindings, call nothing but the few built-ins below (no <c>new</c>, no tagged template, no getter
/// of their own, no assignment, no function), so that they can only read the JSON data they were
/// given and combine it with operators. Such an expression runs in time linear in that data; the
/// memory it can take is bounded by counting the copies of the data it can build (a template
/// literal or a <c>+</c> of texts copies its parts, an array or object literal and the result's
/// JSON hold theirs): at most <see cref="MaxCopies"/>. Everything else is evaluated in a sandbox process.
/// </summary>
/// <remarks>
/// The calls allowed are those whose time is linear in their receiver and arguments and whose
/// result is no larger than a fixed multiple of them, whatever the values are, checked for every
/// object a plain expression can reach (JSON values, their prototypes and constructors, which no
/// plain expression can change):
/// <list type="bullet">
/// <item><c>slice</c>, <c>substring</c>, <c>at</c>, <c>trim</c>, <c>trimStart</c>, <c>trimEnd</c>: a part of a
/// text or array (a shallow one of an array); no other reachable object has a method of these names.</item>
/// <item><c>toUpperCase</c>, <c>toLowerCase</c>: a text at most three times as long (Unicode's longest case mapping).</item>
/// <item><c>startsWith</c>, <c>endsWith</c>: a boolean, in time linear in the argument.</item>
/// <item><c>toFixed</c>: a number's text, at most 100 digits after the point.</item>
/// <item><c>Math.abs</c>, <c>ceil</c>, <c>floor</c>, <c>round</c>, <c>trunc</c>, <c>sign</c>, <c>min</c>, <c>max</c>,
/// <c>Number.isInteger</c>, <c>isFinite</c>, <c>isNaN</c>, <c>Array.isArray</c>: a number or boolean.</item>
/// </list>
/// Left out on purpose: <c>indexOf</c>, <c>includes</c>, <c>split</c>, <c>replace</c> (a text search can take
/// the product of two lengths), <c>join</c>, <c>concat</c>, <c>repeat</c>, <c>pad*</c> and <c>toString</c> (a
/// result larger than any fixed multiple of the data), and everything that takes a function.
/// </remarks>
internal static class PlainExpression
{
    /// <summary>Most copies of the bindings' data a plain expression may build.</summary>
    public const int MaxCopies = 8;

    private static readonly HashSet<string> Names = ["$input", "$var", "$env", "$auth", "undefined", "NaN", "Infinity"];

    /// <summary>Methods whose result is a part of their receiver: the result holds at most its copies.</summary>
    private static readonly HashSet<string> PartMethods = ["slice", "substring", "at", "trim", "trimStart", "trimEnd"];

    /// <summary>Case mappings: a text at most <see cref="CaseGrowth"/> times as long as the receiver.</summary>
    private static readonly HashSet<string> CaseMethods = ["toUpperCase", "toLowerCase"];

    /// <summary>Methods that give a boolean or a short text whatever their receiver's size.</summary>
    private static readonly HashSet<string> SmallResultMethods = ["startsWith", "endsWith", "toFixed"];

    /// <summary>Functions of the built-in namespaces that give a number or a boolean.</summary>
    private static readonly Dictionary<string, HashSet<string>> StaticFunctions = new()
    {
        ["Math"] = ["abs", "ceil", "floor", "round", "trunc", "sign", "min", "max"],
        ["Number"] = ["isInteger", "isFinite", "isNaN"],
        ["Array"] = ["isArray"],
    };

    private const int CaseGrowth = 3;

    public static bool IsPlain(Node expression) => Copies(expression) is { } copies && copies <= MaxCopies;

    /// <summary>How many copies of the data the value of a node can hold; null when the node is not plain.</summary>
    private static int? Copies(Node? node) => node switch
    {
        StringLiteral or NumericLiteral or BooleanLiteral or NullLiteral => 0,
        Identifier id => Names.Contains(id.Name) ? 1 : null,
        ChainExpression chain => Copies(chain.Expression),
        MemberExpression member => Member(member),
        NonUpdateUnaryExpression unary => unary.Operator is Operator.LogicalNot or Operator.UnaryNegation or Operator.UnaryPlus or Operator.TypeOf or Operator.Void
            ? Copies(unary.Argument) is null ? null : 0
            : null,
        LogicalExpression logical => Sum(Copies(logical.Left), Copies(logical.Right)),
        NonLogicalBinaryExpression binary => Binary(binary),
        ConditionalExpression conditional => Copies(conditional.Test) is null ? null : Sum(Copies(conditional.Consequent), Copies(conditional.Alternate)),
        TemplateLiteral template => template.Expressions.Aggregate((int?)0, (total, e) => Sum(total, Copies(e))),
        ArrayExpression array => array.Elements.Aggregate((int?)0, (total, e) => e is null or SpreadElement ? null : Sum(total, Copies(e))),
        ObjectExpression obj => obj.Properties.Aggregate((int?)0, (total, p) => Sum(total, Property(p))),
        CallExpression call => Call(call),
        _ => null,
    };

    /// <summary>A call of one of the methods or functions above, with plain arguments (no spread).</summary>
    private static int? Call(CallExpression call)
    {
        if (call.Callee is not MemberExpression { Computed: false, Property: Identifier method } callee)
        {
            return null;
        }

        var arguments = call.Arguments.Aggregate((int?)0, (total, a) => a is SpreadElement ? null : Sum(total, Copies(a)));
        if (arguments is null)
        {
            return null;
        }

        // A namespace's function: its arguments are converted to numbers, transiently.
        if (callee.Object is Identifier { Name: var name } && StaticFunctions.TryGetValue(name, out var functions))
        {
            return functions.Contains(method.Name) ? Small(arguments.Value) : null;
        }

        var receiver = Copies(callee.Object);
        if (receiver is null)
        {
            return null;
        }

        if (PartMethods.Contains(method.Name))
        {
            return receiver + arguments;
        }

        if (CaseMethods.Contains(method.Name))
        {
            return (CaseGrowth * receiver) + arguments;
        }

        return SmallResultMethods.Contains(method.Name) ? Small(receiver.Value + arguments.Value) : null;
    }

    /// <summary>A boolean, a number or a short text made from operands: nothing of them is kept, so long as they are within bounds.</summary>
    private static int Small(int operands) => operands > MaxCopies ? operands : 0;

    private static int? Member(MemberExpression member)
    {
        var target = Copies(member.Object);
        if (target is null || !member.Computed)
        {
            return target;
        }

        // A computed key becomes a text: a copy that lives while the key is looked up.
        return Copies(member.Property) is { } key ? Math.Max(target.Value, key) : null;
    }

    private static int? Property(Node property) => property switch
    {
        ObjectProperty { Kind: PropertyKind.Init, Method: false, Computed: false } p => Copies(p.Value),
        _ => null,
    };

    private static int? Binary(NonLogicalBinaryExpression binary)
    {
        var left = Copies(binary.Left);
        var right = Copies(binary.Right);
        if (left is null || right is null)
        {
            return null;
        }

        return binary.Operator switch
        {
            // A number added to anything adds a few characters at most; two texts make a third.
            Operator.Addition => IsNumber(binary.Left) || IsNumber(binary.Right) ? Math.Max(left.Value, right.Value) : left + right,
            // Comparisons and arithmetic give a boolean or a number; their operands' conversions are transient.
            Operator.StrictEquality or Operator.StrictInequality or Operator.Equality or Operator.Inequality
                or Operator.LessThan or Operator.LessThanOrEqual or Operator.GreaterThan or Operator.GreaterThanOrEqual
                or Operator.Subtraction or Operator.Multiplication or Operator.Division or Operator.Remainder or Operator.Exponentiation
                or Operator.In => Math.Max(left.Value, right.Value) is var most && most > MaxCopies ? most : 0,
            _ => null,
        };
    }

    /// <summary>True for what always gives a number: a numeric literal, arithmetic other than +, unary minus or plus.</summary>
    private static bool IsNumber(Node node) => node switch
    {
        NumericLiteral => true,
        NonUpdateUnaryExpression { Operator: Operator.UnaryNegation or Operator.UnaryPlus } => true,
        NonLogicalBinaryExpression { Operator: Operator.Subtraction or Operator.Multiplication or Operator.Division or Operator.Remainder or Operator.Exponentiation } => true,
        _ => false,
    };

    private static int? Sum(int? a, int? b) => a is null || b is null ? null : a + b;
}
