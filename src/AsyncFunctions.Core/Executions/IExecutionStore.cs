namespace AsyncFunctions.Executions;

/// <summary>
/// The results table. One contract for every database; each provider runs the same contract
/// tests. Every write is idempotent and follows <see cref="ExecutionStatusRules"/>. Split by
/// responsibility; a consumer that needs one part may take that interface alone.
/// </summary>
public interface IExecutionStore : IExecutionRecords, ISuspensionStore, IIdempotencyStore, IExecutionMaintenanceStore;
