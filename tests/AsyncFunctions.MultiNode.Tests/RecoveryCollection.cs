namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// The recovery tests time a takeover; run one class after the other so their server processes
/// do not share the machine's cores with each other's.
/// </summary>
[CollectionDefinition(nameof(RecoveryCollection))]
public sealed class RecoveryCollection;
