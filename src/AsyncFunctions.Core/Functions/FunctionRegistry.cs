namespace AsyncFunctions.Functions;

/// <summary>The C# functions of this host, filled in by <c>AddAsyncFunctions(o => o.AddFunction&lt;T&gt;(...))</c>.</summary>
public sealed class FunctionRegistry
{
    private readonly List<CodeFunctionRegistration> _registrations = [];

    public IReadOnlyList<CodeFunctionRegistration> Registrations => _registrations;

    /// <summary>Registers <typeparamref name="T"/> as the function <paramref name="name"/>.</summary>
    public CodeFunctionRegistration AddFunction<T>(string name)
        where T : class, IAsyncFunction
    {
        var existing = _registrations.FindIndex(r => r.Name == name);
        var registration = new CodeFunctionRegistration(name, typeof(T));
        if (existing >= 0)
        {
            _registrations[existing] = registration;
        }
        else
        {
            _registrations.Add(registration);
        }

        return registration;
    }
}
