namespace KafkaChaos.Ledger;

/// <summary>
/// The verdict counts of one run or matrix cell. Names match results.json (docs/results.md).
/// </summary>
/// <remarks>
/// Invariants: Acked + Failed + Unknown = Sent; Lost ≤ Acked; LostUnacked + UnackedButDelivered = Failed + Unknown.
/// Duplicate counts are extra copies: a message stored three times adds 2 to DuplicateWrites.
/// </remarks>
public sealed record LedgerCounts
{
    public long Sent { get; init; }
    public long Acked { get; init; }
    public long Failed { get; init; }
    public long Unknown { get; init; }

    /// <summary>Records consumers processed or skipped as duplicates, redeliveries and phantoms included.</summary>
    public long Consumed { get; init; }

    /// <summary>Acked, never consumed: the data loss the client was told would not happen.</summary>
    public long Lost { get; init; }

    /// <summary>Failed or unknown and never consumed: expected, the client was told (or not told) so.</summary>
    public long LostUnacked { get; init; }

    /// <summary>Failed or unknown, yet consumed: the broker stored what the client gave up on.</summary>
    public long UnackedButDelivered { get; init; }

    /// <summary>Extra stored copies of one producer+sequence at distinct offsets (producer retries).</summary>
    public long DuplicateWrites { get; init; }

    /// <summary>Extra deliveries of one partition+offset to the group (consumer commits lagging processing).</summary>
    public long Redeliveries { get; init; }

    /// <summary>
    /// Extra processings of one producer+sequence: the duplicates the business logic saw. With a dedup
    /// store this should be 0 whatever the redeliveries; without one it is redeliveries plus consumed
    /// duplicate writes.
    /// </summary>
    public long DuplicatesProcessed { get; init; }

    /// <summary>Deliveries whose processing a consumer crash cut short. Not counted as consumed.</summary>
    public long Abandoned { get; init; }

    /// <summary>Stored records consumed that this run never sent, or that are not intact envelopes (counted once per offset).</summary>
    public long Phantoms { get; init; }

    /// <summary>Sequences stored at a lower offset than an earlier sequence of the same producer in the same partition.</summary>
    public long OutOfOrder { get; init; }
}
