namespace KafkaChaos.Journal;

/// <summary>What a consumer did with a record it was given.</summary>
/// <remarks>
/// Processing is the business effect the commit strategies protect. Keeping "given but not processed"
/// apart is what lets the ledger tell auto-commit loss (given, offset committed, never processed) from a
/// record that never arrived.
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
}
