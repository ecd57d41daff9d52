namespace AsyncFunctions.Sandbox;

/// <summary>The text Jint runs for an expression or a lambda body: the compiler and the sandbox wrap them the same way.</summary>
public static class ScriptText
{
    public static string Wrap(string source, bool isLambda) =>
        isLambda ? "(function () {\n" + source + "\n})()" : "(" + source + "\n)";
}
