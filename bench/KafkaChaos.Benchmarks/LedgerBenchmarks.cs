using BenchmarkDotNet.Attributes;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;

namespace KafkaChaos.Benchmarks;

/// <summary>
/// The ledger's cost per event: marking sequences in a <see cref="SequenceSet"/> in order and shuffled,
/// and the whole checker over a history of acked and consumed events (3 partitions read interleaved).
/// Reported per event (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class LedgerBenchmarks
{
    private const int Messages = 1_000_000;
    private long[] _shuffled = [];
    private ProduceOutcome[] _produced = [];
    private ConsumedRecord[] _consumed = [];
    private ProduceOutcome[] _producedShuffled = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _shuffled = Enumerable.Range(0, Messages).Select(i => (long)i).ToArray();
        random.Shuffle(_shuffled);
        _produced = Enumerable.Range(0, Messages).Select(i => new ProduceOutcome(0, i, ProduceStatus.Acked, i % 3, i / 3, i / 1000)).ToArray();
        _consumed = Enumerable.Range(0, Messages).Select(i => new ConsumedRecord(0, 0, i, i % 3, i / 3, i / 1000)).ToArray();
        _producedShuffled = (ProduceOutcome[])_produced.Clone();
        random.Shuffle(_producedShuffled);
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long MarkInOrder()
    {
        var set = new SequenceSet();
        for (long i = 0; i < Messages; i++)
        {
            set.Add(i);
        }

        return set.Count;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long MarkShuffled()
    {
        var set = new SequenceSet();
        foreach (var value in _shuffled)
        {
            set.Add(value);
        }

        return set.Count;
    }

    /// <summary>Three passes over outcomes and one over consumption: per event (outcome or record) seen.</summary>
    [Benchmark(OperationsPerInvoke = Messages * 2)]
    public long CheckInOrder() => LedgerChecker.Check(new History(_produced, _consumed, [])).Counts.Sent;

    [Benchmark(OperationsPerInvoke = Messages * 2)]
    public long CheckShuffledAcks() => LedgerChecker.Check(new History(_producedShuffled, _consumed, [])).Counts.Sent;
}
