namespace AsyncFunctions.AspNetCore.OpenApi;

/// <summary>
/// The schema of the marked type is the schema of <see cref="Base"/> with the marked type's own
/// properties added: for answers that a handler builds by adding fields to a serialized record.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ExtendsSchemaAttribute(Type @base) : Attribute
{
    public Type Base { get; } = @base;
}
