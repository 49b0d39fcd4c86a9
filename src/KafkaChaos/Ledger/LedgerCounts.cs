namespace KafkaChaos.Ledger;

/// <summary>
/// The verdict counts of one run or matrix cell. Names match results.json (docs/results.md), and
/// <see cref="LedgerCountCatalog"/> holds each count's name and meaning once for every output.
/// </summary>
/// <remarks>
/// <para>
/// With a final read, durability is judged on the final log and delivery on what the group saw; without
/// one (journal format 1, an interrupted run) a message counts as stored when the group read it.
/// A nullable count is null when the history cannot judge it: the final-log counts need a final read,
/// the poll counts need the assignment changes of journal format 2.
/// </para>
/// <para>
/// Invariants: Acked + Failed + Unknown = Sent (messages, each with the best outcome of its attempts); LostAfterRead ≤ Lost ≤ Acked;
/// LostUnacked + UnackedButDelivered + FailedButStored = Failed + Unknown. With a final read,
/// Sent − Lost − LostUnacked is the number of this run's messages in the final log. Duplicate counts are
/// extra copies: a message stored three times adds 2 to DuplicateWrites.
/// </para>
/// </remarks>
public sealed record LedgerCounts
{
    public long Sent { get; init; }
    public long Acked { get; init; }
    public long Failed { get; init; }
    public long Unknown { get; init; }

    /// <summary>Records consumers processed or skipped as duplicates, redeliveries and phantoms included.</summary>
    public long Consumed { get; init; }

    /// <summary>Acked, and not in the final log (without a final read: never consumed): the loss the client was told would not happen.</summary>
    public long Lost { get; init; }

    /// <summary>The part of <see cref="Lost"/> that a consumer of the group had read before it vanished from the log.</summary>
    public long? LostAfterRead { get; init; }

    /// <summary>In the final log, but processed by no consumer of the group: consumer-side loss (commit before processing).</summary>
    public long? NeverProcessed { get; init; }

    /// <summary>Failed or unknown and not stored: expected, the client was told (or not told) so.</summary>
    public long LostUnacked { get; init; }

    /// <summary>Unknown (timed out, in flight at a stop), yet stored.</summary>
    public long UnackedButDelivered { get; init; }

    /// <summary>A definite failure that was stored anyway: a broken contract (Jepsen's aborted read), expected 0.</summary>
    public long FailedButStored { get; init; }

    /// <summary>Extra stored copies of one producer+sequence at distinct offsets (producer retries).</summary>
    public long DuplicateWrites { get; init; }

    /// <summary>Extra deliveries of one partition+offset to the group (consumer commits lagging processing).</summary>
    public long Redeliveries { get; init; }

    /// <summary>The part of <see cref="Redeliveries"/> read again by another instance or in a new assignment: expected under at-least-once.</summary>
    public long? RedeliveriesAfterRebalance { get; init; }

    /// <summary>The part of <see cref="Redeliveries"/> read again by the same instance within one assignment: a rewind.</summary>
    public long? RedeliveriesWithinAssignment { get; init; }

    /// <summary>
    /// Extra processings of one producer+sequence: the duplicates the business logic saw. With a dedup
    /// store this should be 0 whatever the redeliveries; without one it is redeliveries plus consumed
    /// duplicate writes.
    /// </summary>
    public long DuplicatesProcessed { get; init; }

    /// <summary>Partition+offsets seen holding two different messages across acks, group reads and the final read: log divergence.</summary>
    public long? InconsistentOffsets { get; init; }

    /// <summary>Times an instance, within one assignment, jumped over offsets that the final log holds.</summary>
    public long? PollSkip { get; init; }

    /// <summary>Times an instance, within one assignment, read an offset at or below one it had already read.</summary>
    public long? NonmonotonicPoll { get; init; }

    /// <summary>Deliveries whose processing a consumer crash cut short. Not counted as consumed.</summary>
    public long Abandoned { get; init; }

    /// <summary>
    /// Send attempts that repeated a message already sent: restart-producer's resends of unknown sends.
    /// Not in <see cref="Sent"/>, which counts messages; each message counts once, with its best outcome.
    /// </summary>
    public long Resent { get; init; }

    /// <summary>Stored records that this run never sent, or that are not intact envelopes (counted once per offset).</summary>
    public long Phantoms { get; init; }

    /// <summary>Sequences stored at a lower offset than an earlier sequence of the same producer in the same partition.</summary>
    public long OutOfOrder { get; init; }
}
