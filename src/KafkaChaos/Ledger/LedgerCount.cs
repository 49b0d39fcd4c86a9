namespace KafkaChaos.Ledger;

/// <summary>
/// One ledger count as every output names and explains it.
/// </summary>
/// <param name="Name">The results.json and experiment-file spelling.</param>
/// <param name="Meaning">One line for tables and help.</param>
/// <param name="IsAnomaly">A value above 0 is something the configuration let happen, to be shown in red.</param>
/// <param name="JepsenName">The name Jepsen's Kafka checker gives the same anomaly, where it has one.</param>
/// <param name="Read">The value, or null when the history cannot judge it.</param>
public sealed record LedgerCount(string Name, string Meaning, bool IsAnomaly, string? JepsenName, Func<LedgerCounts, long?> Read)
{
    /// <summary>What the checker's examples of this count name: a message, an offset (no one message), or none are kept.</summary>
    public ExampleKind Examples { get; init; }
}
