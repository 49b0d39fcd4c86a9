namespace KafkaChaos.Ledger;

/// <summary>
/// One second of the throughput timeline, from journal timestamps: outcomes by when the client reported
/// them, and records by when a consumer processed them.
/// </summary>
public sealed record ThroughputSecond(long UnixSecond, long Acked, long Failed, long Unknown, long Consumed);
