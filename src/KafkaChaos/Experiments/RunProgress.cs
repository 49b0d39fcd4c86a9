namespace KafkaChaos.Experiments;

/// <summary>A snapshot of a run in progress, for live displays: which cell, how far, how fast, which faults.</summary>
public sealed record RunProgress(
    int Cell,
    int Cells,
    string CellName,
    double Seconds,
    long Sent,
    long Total,
    long Read,
    long SendRate,
    long ReadRate,
    IReadOnlyCollection<string> ActiveFaults)
{
    /// <summary>Sends the broker acknowledged so far.</summary>
    public long Acknowledged { get; init; }

    /// <summary>Sends reported failed or unknown so far.</summary>
    public long NotAcknowledged { get; init; }
}
