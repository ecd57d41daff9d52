namespace AsyncFunctions.FlowControl;

/// <summary>Starts with the same key within <paramref name="PeriodSeconds"/> fold into one pending execution that runs with the latest input once the period passes without another start.</summary>
public sealed record DebounceRule(int PeriodSeconds, FlowKey? Key = null);
