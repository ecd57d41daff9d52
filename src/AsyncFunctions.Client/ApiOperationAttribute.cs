namespace AsyncFunctions.Client;

/// <summary>The operation of the API's OpenAPI document (its operationId) that the marked method calls.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ApiOperationAttribute(string operationId) : Attribute
{
    public string OperationId { get; } = operationId;
}
