namespace KafkaChaos.Ledger;

/// <summary>What the examples of a count point at.</summary>
public enum ExampleKind
{
    /// <summary>No examples are kept (an outcome, not an anomaly).</summary>
    None,

    /// <summary>A message: producer and sequence, and where it was stored when known.</summary>
    Message,

    /// <summary>An offset of a partition, which holds no one message of the run (two, or a skipped range).</summary>
    Offset,
}
