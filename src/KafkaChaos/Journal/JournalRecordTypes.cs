namespace KafkaChaos.Journal;

/// <summary>
/// The <c>type</c> of each JSON line of a journal's text part, written by <see cref="JournalWriter"/> and read by
/// <see cref="JournalReader"/> from this one list (sends and reads go in the binary blocks, which have no type string).
/// </summary>
public static class JournalRecordTypes
{
    /// <summary>The first line: run id, format, start time and the cell's settings.</summary>
    public const string Run = "run";

    /// <summary>A phase of a fault: start, verified, not-applied or end.</summary>
    public const string Fault = "fault";

    /// <summary>What the final read of the topic found.</summary>
    public const string FinalRead = "final-read";

    /// <summary>Whether the group caught up with the log before the consumers stopped.</summary>
    public const string Drain = "drain";

    /// <summary>The last line: how the run ended.</summary>
    public const string End = "end";
}
