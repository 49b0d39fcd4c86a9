namespace KafkaChaos.Ledger;

/// <summary>One concrete case behind an anomaly count, with the fault event closest to it in time.</summary>
public sealed record AnomalyExample(string? Producer, long? Sequence, int? Partition, long? Offset, string? NearestFault)
{
    /// <summary>What the message and position alone do not say: which instance skipped or went back, and from where.</summary>
    public string? Detail { get; init; }
}
