namespace AsyncFunctions.FlowControl;

/// <summary>At most <paramref name="Limit"/> executions start in any <paramref name="PeriodSeconds"/> seconds per value of <paramref name="Key"/>; the rest are delayed, in order.</summary>
public sealed record RateLimit(int Limit, int PeriodSeconds, FlowKey? Key = null);
