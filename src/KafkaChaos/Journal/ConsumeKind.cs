namespace KafkaChaos.Journal;

/// <summary>What a consumer did with a record it was given, or what changed in what it was given.</summary>
/// <remarks>
/// Processing is the business effect the commit strategies protect. Keeping "given but not processed"
/// apart is what lets the ledger tell auto-commit loss (given, offset committed, never processed) from a
/// record that never arrived. Assignment changes sit in the same stream, in poll order, because a skip
/// or a rewind can only be judged within one assignment of a partition to one instance. The final read
/// has a kind of its own so that a history's durability verdict never mixes it up with the group's reads.
/// </remarks>
public enum ConsumeKind : byte
{
    /// <summary>Processed: the business effect happened.</summary>
    Processed = 0,

    /// <summary>The dedup store had already seen producer+sequence, so processing was skipped.</summary>
    DuplicateSkipped = 1,

    /// <summary>A consumer crash cut processing short; the record counts as not consumed.</summary>
    Abandoned = 2,

    /// <summary>Not an intact envelope of this run (bad checksum, other run, null value): a phantom.</summary>
    Unreadable = 3,

    /// <summary>The group assigned the partition to this instance (journal format 2). No message, no offset.</summary>
    Assigned = 4,

    /// <summary>The partition was revoked from (or lost by) this instance (journal format 2). No message, no offset.</summary>
    Revoked = 5,

    /// <summary>Read by the final reader, outside the group, from the beginning of the log (journal format 2).</summary>
    FinalRead = 6,
}
