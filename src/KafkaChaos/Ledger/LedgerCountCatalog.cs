namespace KafkaChaos.Ledger;

/// <summary>
/// Every ledger count, once, in the order outputs list them. Expectations, tables, JUnit, the report
/// and the charts all read names and meanings from here, so a count cannot be named two ways.
/// </summary>
public static class LedgerCountCatalog
{
    public static LedgerCount Sent { get; } = new("sent", "messages sent (resends not counted again)", false, null, c => c.Sent) { Examples = ExampleKind.None };
    public static LedgerCount Acked { get; } = new("acked", "acknowledged by the broker", false, null, c => c.Acked) { Examples = ExampleKind.None };
    public static LedgerCount Failed { get; } = new("failed", "definite failure reported to the producer", false, null, c => c.Failed) { Examples = ExampleKind.None };
    public static LedgerCount Unknown { get; } = new("unknown", "timed out or in flight at shutdown", false, null, c => c.Unknown) { Examples = ExampleKind.None };
    public static LedgerCount Consumed { get; } = new("consumed", "records processed (or skipped by the dedup store) by the group", false, null, c => c.Consumed) { Examples = ExampleKind.None };
    public static LedgerCount Lost { get; } = new("lost", "acked, not in the final log", true, "lost-write", c => c.Lost) { Examples = ExampleKind.Message };
    public static LedgerCount LostAfterRead { get; } = new("lost_after_read", "lost, after a consumer had read it (truncated)", true, null, c => c.LostAfterRead) { Examples = ExampleKind.Message };
    public static LedgerCount NeverProcessed { get; } = new("never_processed", "in the final log, processed by no consumer", true, "unseen", c => c.NeverProcessed) { Examples = ExampleKind.Message };
    public static LedgerCount LostUnacked { get; } = new("lost_unacked", "not acked, not stored (expected)", false, null, c => c.LostUnacked) { Examples = ExampleKind.None };
    public static LedgerCount UnackedButDelivered { get; } = new("unacked_but_delivered", "unknown outcome, stored anyway", false, null, c => c.UnackedButDelivered) { Examples = ExampleKind.Message };
    public static LedgerCount FailedButStored { get; } = new("failed_but_stored", "definite failure, stored anyway", true, "aborted-read", c => c.FailedButStored) { Examples = ExampleKind.Message };
    public static LedgerCount DuplicateWrites { get; } = new("duplicate_writes", "extra copies in the log (producer retries)", true, "duplicate", c => c.DuplicateWrites) { Examples = ExampleKind.Message };
    public static LedgerCount Redeliveries { get; } = new("redeliveries", "extra deliveries of one offset to the group", true, null, c => c.Redeliveries) { Examples = ExampleKind.Message };
    public static LedgerCount RedeliveriesAfterRebalance { get; } = new("redeliveries_after_rebalance", "redeliveries to another instance or assignment (at-least-once)", false, null, c => c.RedeliveriesAfterRebalance) { Examples = ExampleKind.None };
    public static LedgerCount RedeliveriesWithinAssignment { get; } = new("redeliveries_within_assignment", "redeliveries within one assignment (a rewind)", true, null, c => c.RedeliveriesWithinAssignment) { Examples = ExampleKind.Message };
    public static LedgerCount DuplicatesProcessed { get; } = new("duplicates_processed", "extra processings of one message (after any dedup store)", true, null, c => c.DuplicatesProcessed) { Examples = ExampleKind.Message };
    public static LedgerCount InconsistentOffsets { get; } = new("inconsistent_offsets", "offsets seen holding two different messages", true, "inconsistent-offsets", c => c.InconsistentOffsets) { Examples = ExampleKind.Offset };
    public static LedgerCount PollSkip { get; } = new("poll_skip", "jumps over stored offsets within one assignment", true, "poll-skip", c => c.PollSkip) { Examples = ExampleKind.Offset };
    public static LedgerCount NonmonotonicPoll { get; } = new("nonmonotonic_poll", "reads going back within one assignment", true, "nonmonotonic-poll", c => c.NonmonotonicPoll) { Examples = ExampleKind.Message };
    public static LedgerCount Phantoms { get; } = new("phantoms", "stored, never sent by this run", true, null, c => c.Phantoms) { Examples = ExampleKind.Message };
    public static LedgerCount OutOfOrder { get; } = new("out_of_order", "stored before an earlier sequence", true, null, c => c.OutOfOrder) { Examples = ExampleKind.Message };
    public static LedgerCount Abandoned { get; } = new("abandoned", "deliveries a consumer crash cut short (not consumed)", false, null, c => c.Abandoned) { Examples = ExampleKind.None };
    public static LedgerCount Resent { get; } = new("resent", "unknown sends a restarted producer sent again", false, null, c => c.Resent) { Examples = ExampleKind.None };

    /// <summary>Every count, in the order outputs list them.</summary>
    public static IReadOnlyList<LedgerCount> All { get; } =
    [
        Sent,
        Acked,
        Failed,
        Unknown,
        Consumed,
        Lost,
        LostAfterRead,
        NeverProcessed,
        LostUnacked,
        UnackedButDelivered,
        FailedButStored,
        DuplicateWrites,
        Redeliveries,
        RedeliveriesAfterRebalance,
        RedeliveriesWithinAssignment,
        DuplicatesProcessed,
        InconsistentOffsets,
        PollSkip,
        NonmonotonicPoll,
        Phantoms,
        OutOfOrder,
        Abandoned,
        Resent,
    ];

    /// <summary>What a run did rather than what went wrong: a verdict table leaves them out.</summary>
    private static readonly LedgerCount[] Outcomes = [Sent, Acked, Failed, Unknown, Consumed];

    private static readonly Dictionary<string, LedgerCount> ByName = All.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = All.Select(c => c.Name).ToArray();

    public static LedgerCount? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The value of the count <paramref name="name"/>; null when the history could not judge it.</summary>
    public static long? Read(LedgerCounts counts, string name)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return ByName.TryGetValue(name, out var count) ? count.Read(counts) : throw new ArgumentOutOfRangeException(nameof(name), name, "not a ledger count");
    }

    /// <summary>
    /// The columns of a verdict table over <paramref name="cells"/>: <c>lost</c> always, then every other
    /// anomaly or outcome that is above 0 in some cell, so a table is as wide as what happened.
    /// </summary>
    public static IReadOnlyList<LedgerCount> Columns(IEnumerable<LedgerCounts> cells)
    {
        var list = cells.ToList();
        return All.Where(c => c == Lost || (!Outcomes.Contains(c) && list.Any(cell => c.Read(cell) > 0))).ToArray();
    }

    /// <summary>"12,345", or "—" for a count the history could not judge.</summary>
    public static string Format(long? value) => value is { } v ? v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "—";
}
