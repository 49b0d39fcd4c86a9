using KafkaChaos.Journal;
using KafkaChaos.Ledger.Checking;

namespace KafkaChaos.Ledger;

/// <summary>
/// The checker: a pure, deterministic function from a <see cref="History"/> to a <see cref="LedgerVerdict"/>.
/// </summary>
/// <remarks>
/// <para>
/// A message is identified by producer + sequence; where it was stored by partition + offset. Durability
/// is judged on the final log, read after the heal from the beginning of every partition by a reader
/// outside the group: a message the group read and Kafka later truncated is lost, not delivered.
/// Delivery is judged on what the group read and processed. A history without a final read (journal
/// format 1, an interrupted run) is judged as before it existed: stored means read by the group, and the
/// counts that need the final log are null.
/// </para>
/// <para>
/// One analysis per anomaly family (Checking/: loss, duplicates and order, offsets and polls, consumer-side
/// counts) over one shared index of the history, each contributing its own counts to the verdict.
/// It streams: produced outcomes, the final read, the group's records, produced outcomes again. It holds
/// <see cref="SequenceSet"/>s, which cost almost nothing for in-order numbers, and the final log's
/// offset-to-message index (<see cref="FinalLogIndex"/>, 8 bytes per record). Examples are the first
/// ones met in journal order, so the same history always gives the same verdict.
/// </para>
/// </remarks>
public static class LedgerChecker
{
    public const int MaxExamples = 20;

    /// <summary>librdkafka queues at most 10^7 messages (queue.buffering.max.messages); one journal flush adds far fewer.</summary>
    public const long MaxStartedWithoutOutcome = 20_000_000;

    /// <summary>
    /// The passes over the history, each feeding the analyses that need it: the sends' outcomes (loss), the
    /// final log (duplicates and order), the group's reads (consumer-side counts, offsets and polls), the
    /// outcomes again (each send's fate), then the few look-ups examples need. Each analysis gives its own counts.
    /// </summary>
    public static LedgerVerdict Check(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var index = new HistoryIndex(history);
        var examples = new ExampleBook(history, index.Faults);
        var log = new LogAnalysis(index, examples);
        var polls = new PollAnalysis(index, examples);
        var loss = new LossAnalysis(index, examples, log);
        var consumers = new ConsumerAnalysis(index, examples, log, polls);

        var outcomes = new OutcomeReader(loss);
        Each(history.Produced, ref outcomes);
        loss.AddStartedWithoutOutcome();
        if (index.HasFinalLog)
        {
            var finalLog = new FinalReader(log);
            Each(history.FinalRead, ref finalLog);
        }

        var reads = new ConsumptionReader(consumers);
        Each(history.Consumed, ref reads);
        loss.StartSettling();
        var settler = new OutcomeSettler(loss);
        Each(history.Produced, ref settler);
        loss.SettleStartedWithoutOutcome();
        polls.JudgeGaps();
        loss.FindStoredPositions();
        consumers.FindNeverProcessed();

        var counts = consumers.Contribute(polls.Contribute(log.Contribute(loss.Contribute(new LedgerCounts()))));
        return Verdict(history, index, counts, examples, loss);
    }

    /// <summary>The counts with what makes them a verdict or not: faults not applied, a final read cut short, a group gone idle.</summary>
    private static LedgerVerdict Verdict(History history, HistoryIndex index, LedgerCounts counts, ExampleBook examples, LossAnalysis loss)
    {
        var notApplied = index.Faults.Where(f => f.Phase == FaultPhase.NotApplied).Select(f => $"{f.Fault} on {f.Target}: {f.Detail}").ToArray();
        var invalid = notApplied.Select(f => $"fault not applied: {f}").ToList();
        if (history.FinalReadEnd is { Complete: false } final)
        {
            invalid.Add($"the final read did not reach the end of the log: {final.Detail}"
                + (loss.UnreadAcked > 0 ? $"; {loss.UnreadAcked} acknowledged messages lie where it did not read and are not counted as lost" : ""));
        }

        if (history.Drain is { CaughtUp: false } drain)
        {
            invalid.Add($"the consumer group went idle before the end offsets: {drain.Detail}");
        }

        return new LedgerVerdict(counts, examples.All, index.Timeline.Build(), history.Truncated, notApplied)
        {
            Fates = loss.Fates,
            InvalidReasons = invalid,
            JudgedOnFinalLog = index.HasFinalLog,
        };
    }

    /// <summary>
    /// Walks a history stream, over a span when it is an array or a list (the checker's hot loops then
    /// cost no interface call per event), through the enumerator otherwise (a journal on disk).
    /// </summary>
    private static void Each<T, TVisitor>(IEnumerable<T> items, ref TVisitor visitor)
        where TVisitor : struct, IVisitor<T>
    {
        if (items is T[] array)
        {
            foreach (ref readonly var item in array.AsSpan())
            {
                visitor.Visit(in item);
            }
        }
        else if (items is List<T> list)
        {
            foreach (ref readonly var item in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list))
            {
                visitor.Visit(in item);
            }
        }
        else
        {
            foreach (var item in items)
            {
                visitor.Visit(in item);
            }
        }
    }

    private interface IVisitor<T>
    {
        void Visit(in T item);
    }

    private readonly struct OutcomeReader(LossAnalysis loss) : IVisitor<ProduceOutcome>
    {
        public void Visit(in ProduceOutcome item) => loss.ReadOutcome(in item);
    }

    private readonly struct FinalReader(LogAnalysis log) : IVisitor<ConsumedRecord>
    {
        public void Visit(in ConsumedRecord item) => log.ReadFinalRecord(in item);
    }

    private readonly struct ConsumptionReader(ConsumerAnalysis consumers) : IVisitor<ConsumedRecord>
    {
        public void Visit(in ConsumedRecord item) => consumers.ReadRecord(in item);
    }

    private readonly struct OutcomeSettler(LossAnalysis loss) : IVisitor<ProduceOutcome>
    {
        public void Visit(in ProduceOutcome item) => loss.SettleOutcome(in item);
    }
}
