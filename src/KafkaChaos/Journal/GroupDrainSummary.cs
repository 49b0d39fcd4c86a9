namespace KafkaChaos.Journal;

/// <summary>
/// How the verifying group's drain ended. A group that went idle before the end offsets leaves records
/// it never got to, which would read as consumer-side loss (<c>never_processed</c>): the cell is invalid.
/// </summary>
/// <param name="CaughtUp">Every partition was read (or committed) up to the end offsets.</param>
/// <param name="Detail">Where each partition that was behind stood.</param>
public sealed record GroupDrainSummary(bool CaughtUp, string Detail);
