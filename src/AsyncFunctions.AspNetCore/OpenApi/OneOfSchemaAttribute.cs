namespace AsyncFunctions.AspNetCore.OpenApi;

/// <summary>The schema of the marked type is one of <see cref="Types"/>: for an answer that has two shapes.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OneOfSchemaAttribute(params Type[] types) : Attribute
{
    public IReadOnlyList<Type> Types { get; } = types;
}
