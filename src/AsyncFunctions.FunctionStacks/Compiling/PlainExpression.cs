using Acornima;
using Acornima.Ast;

namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>
/// Decides which expressions may run in the server's own engine: those that call nothing (no
/// call, no <c>new</c>, no tagged template, no getter of their own, no assignment, no function)
/// and name nothing but the bindings, so that they can only read the JSON data they were given and
/// combine it with operators. Such an expression runs in time linear in that data; the memory it
/// can take is bounded by counting the copies of the data it can build (a template literal or a
/// <c>+</c> of texts copies its parts, an array or object literal and the result's JSON hold
/// theirs): at most <see cref="MaxCopies"/>. Everything else is evaluated in a sandbox process.
/// </summary>
internal static class PlainExpression
{
    /// <summary>Most copies of the bindings' data a plain expression may build.</summary>
    public const int MaxCopies = 8;

    private static readonly HashSet<string> Names = ["$input", "$var", "$env", "$auth", "undefined", "NaN", "Infinity"];

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
        _ => null,
    };

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
