namespace AsyncFunctions.FlowControl;

/// <summary>At most <paramref name="Limit"/> executions run at once per value of <paramref name="Key"/> (or per function without a key).</summary>
public sealed record ConcurrencyLimit(int Limit, FlowKey? Key = null);
