using Acornima;
using Acornima.Ast;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Sandbox;
using Jint;

namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>Parses expressions and lambdas, prepares them for Jint and lists the variables they read.</summary>
internal static class ScriptCompiler
{
    public static readonly string[] Bindings = ["$input", "$var", "$env", "$auth"];

    /// <summary>
    /// Deepest syntax tree accepted (a lambda's wrapper takes five levels). The parser stops only where
    /// the thread's stack runs out, which differs between threads; this bound is the same everywhere
    /// and parses on any thread with the default stack.
    /// </summary>
    public const int MaxNesting = 256;

    public static CompiledScript? Expression(string source, string path, List<DocumentProblem> problems, ISet<string> variablesRead)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            problems.Add(new DocumentProblem(path, "the expression after '=' is empty"));
            return null;
        }

        Node parsed;
        try
        {
            parsed = new Parser().ParseExpression(source);
        }
        catch (ParseErrorException ex)
        {
            problems.Add(new DocumentProblem(path, $"the expression does not parse: {ex.Message}"));
            return null;
        }
        catch (InsufficientExecutionStackException)
        {
            problems.Add(TooDeep(path, "expression"));
            return null;
        }

        if (!TryCollect(parsed, path, problems, variablesRead, "expression", out var read))
        {
            return null;
        }

        return Prepare(ScriptText.Wrap(source, isLambda: false), path, problems, "expression") is { } prepared
            ? new CompiledScript(path, source, prepared, isLambda: false, read, PlainExpression.IsPlain(parsed))
            : null;
    }

    public static CompiledScript? Lambda(string code, string path, List<DocumentProblem> problems, ISet<string> variablesRead)
    {
        var wrapped = ScriptText.Wrap(code, isLambda: true);
        Script parsed;
        try
        {
            parsed = new Parser().ParseScript(wrapped);
        }
        catch (ParseErrorException ex)
        {
            problems.Add(new DocumentProblem(path, $"the code does not parse: {ex.Message}"));
            return null;
        }
        catch (InsufficientExecutionStackException)
        {
            problems.Add(TooDeep(path, "code"));
            return null;
        }

        if (parsed.Body.Count != 1)
        {
            problems.Add(new DocumentProblem(path, "the code must be the body of one function (it closes the function early)"));
            return null;
        }

        if (!TryCollect(parsed, path, problems, variablesRead, "code", out var read))
        {
            return null;
        }

        return Prepare(wrapped, path, problems, "code") is { } prepared
            ? new CompiledScript(path, code, prepared, isLambda: true, read)
            : null;
    }

    /// <summary>Jint parses once more to prepare; what it refuses after the first parse accepted is still a problem of the document, not a crash.</summary>
    private static Prepared<Script>? Prepare(string text, string path, List<DocumentProblem> problems, string what)
    {
        try
        {
            return Engine.PrepareScript(text, path);
        }
        catch (Exception ex) when (ex is InsufficientExecutionStackException || ex.InnerException is InsufficientExecutionStackException)
        {
            problems.Add(TooDeep(path, what));
            return null;
        }
        catch (Exception ex) when (ex is ParseErrorException or JintException or InvalidOperationException or ArgumentException)
        {
            problems.Add(new DocumentProblem(path, $"the {what} does not parse: {ex.Message}"));
            return null;
        }
    }

    private static DocumentProblem TooDeep(string path, string what) =>
        new(path, $"the {what} nests deeper than {MaxNesting} levels of syntax (brackets, functions, blocks or operators inside each other)");

    /// <summary>Gives the variables read, or null when the script uses $var as a whole.</summary>
    private static bool TryCollect(Node node, string path, List<DocumentProblem> problems, ISet<string> variablesRead, string what, out string[]? read)
    {
        read = null;
        var collector = new ReferenceCollector();
        try
        {
            collector.Visit(node);
        }
        catch (InsufficientExecutionStackException)
        {
            problems.Add(TooDeep(path, what));
            return false;
        }

        if (collector.Deepest > MaxNesting)
        {
            problems.Add(TooDeep(path, what));
            return false;
        }

        foreach (var name in collector.Variables)
        {
            variablesRead.Add(name);
        }

        foreach (var binding in collector.UnknownBindings)
        {
            problems.Add(new DocumentProblem(path, $"'{binding}' is not a binding; use $input, $var, $env or $auth"));
        }

        read = collector.WholeVariables ? null : collector.Variables.ToArray();
        return true;
    }

    private sealed class ReferenceCollector : AstVisitor
    {
        private int _depth;

        public SortedSet<string> Variables { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> UnknownBindings { get; } = new(StringComparer.Ordinal);

        /// <summary>True when $var appears other than as <c>$var.name</c> or <c>$var["name"]</c>.</summary>
        public bool WholeVariables { get; private set; }

        /// <summary>The deepest nesting of syntax seen; the walk stops one level past <see cref="MaxNesting"/>.</summary>
        public int Deepest { get; private set; }

        public override object? Visit(Node node)
        {
            if (++_depth > Deepest)
            {
                Deepest = _depth;
            }

            try
            {
                return _depth > MaxNesting ? node : base.Visit(node);
            }
            finally
            {
                _depth--;
            }
        }

        protected override object? VisitMemberExpression(MemberExpression node)
        {
            if (node.Object is Identifier { Name: "$var" })
            {
                if (!node.Computed && node.Property is Identifier property)
                {
                    Variables.Add(property.Name);
                    return node;
                }

                if (node.Computed && node.Property is StringLiteral literal)
                {
                    Variables.Add(literal.Value);
                    return node;
                }
            }

            // The name after a dot is a property, not a binding: $var.doc.$id reads the key "$id".
            Visit(node.Object);
            if (node.Computed)
            {
                Visit(node.Property);
            }

            return node;
        }

        // Keys of object literals, patterns and classes are property names too ({ $set: 1 }); only
        // computed keys and the values are expressions that can name a binding.
        protected override object? VisitObjectProperty(ObjectProperty node) => VisitKeyed(node.Computed, node.Key, node.Value);

        protected override object? VisitAssignmentProperty(AssignmentProperty node) => VisitKeyed(node.Computed, node.Key, node.Value);

        protected override object? VisitMethodDefinition(MethodDefinition node) => VisitKeyed(node.Computed, node.Key, node.Value);

        protected override object? VisitPropertyDefinition(PropertyDefinition node) => VisitKeyed(node.Computed, node.Key, node.Value);

        protected override object? VisitAccessorProperty(AccessorProperty node) => VisitKeyed(node.Computed, node.Key, node.Value);

        // Labels live in their own namespace.
        protected override object? VisitLabeledStatement(LabeledStatement node) => Visit(node.Body);

        protected override object? VisitBreakStatement(BreakStatement node) => node;

        protected override object? VisitContinueStatement(ContinueStatement node) => node;

        private Node VisitKeyed(bool computed, Node key, Node? value)
        {
            if (computed)
            {
                Visit(key);
            }

            if (value is not null)
            {
                Visit(value);
            }

            return key;
        }

        protected override object? VisitIdentifier(Identifier node)
        {
            if (node.Name == "$var")
            {
                WholeVariables = true;
            }

            if (node.Name.StartsWith('$') && !Bindings.Contains(node.Name))
            {
                UnknownBindings.Add(node.Name);
            }

            return base.VisitIdentifier(node);
        }
    }
}
