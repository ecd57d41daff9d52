using AsyncFunctions.Core.Tests;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>
/// The contract against the in-memory store, whose status rule is <see cref="ExecutionStatusRules.Supersedes"/>:
/// the C# rule passes the same tests as the dialects' SQL. Each test gets a store of its own.
/// </summary>
public sealed class InMemoryExecutionStoreTests : ExecutionStoreContract
{
    private readonly InMemoryExecutionStore _store = new();

    protected override IExecutionStore Store => _store;

    /// <summary>Every node of one process shares the dictionary, as nodes share a database.</summary>
    protected override IExecutionStore NewNode() => _store;
}
