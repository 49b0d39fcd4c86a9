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

    /// <summary>Sends with no answer yet: the producer's lag.</summary>
    public long Awaiting => Math.Max(0, Sent - Acknowledged - NotAcknowledged);

    /// <summary>Acknowledged messages the group has not read yet: the consumer's lag.</summary>
    public long AckedNotRead => Math.Max(0, Acknowledged - Read);

    /// <summary>
    /// The one progress line, for the log and plain consoles alike. A producer whose every send fails must
    /// not look healthy, so answers come before reads.
    /// </summary>
    public string Describe() =>
        $"sent {Sent:N0}/{Total:N0} ({SendRate:N0}/s): acked {Acknowledged:N0}, failed or unknown {NotAcknowledged:N0}, awaiting {Awaiting:N0}; "
        + $"read {Read:N0} ({ReadRate:N0}/s), {AckedNotRead:N0} acked not yet read"
        + (ActiveFaults.Count > 0 ? $", faults active: {string.Join(", ", ActiveFaults)}" : "");
}
