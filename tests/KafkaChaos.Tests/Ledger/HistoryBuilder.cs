using KafkaChaos.Journal;

namespace KafkaChaos.Tests.Ledger;

/// <summary>Hand-written histories for checker tests, in the vocabulary of the journal.</summary>
internal sealed class HistoryBuilder
{
    private readonly List<ProduceOutcome> _produced = [];
    private readonly List<ConsumedRecord> _consumed = [];
    private readonly List<FaultEvent> _faults = [];

    public HistoryBuilder Acked(string producer, long seq, int partition, long offset, long ts = 0)
    {
        _produced.Add(new ProduceOutcome(producer, seq, ProduceStatus.Acked, partition, offset, ts));
        return this;
    }

    public HistoryBuilder Failed(string producer, long seq, long ts = 0)
    {
        _produced.Add(new ProduceOutcome(producer, seq, ProduceStatus.Failed, null, null, ts, "Local_MsgTimeout"));
        return this;
    }

    public HistoryBuilder Unknown(string producer, long seq, long ts = 0)
    {
        _produced.Add(new ProduceOutcome(producer, seq, ProduceStatus.Unknown, null, null, ts, "in flight"));
        return this;
    }

    public HistoryBuilder Consumed(string producer, long seq, int partition, long offset, long ts = 0, string consumer = "c0")
    {
        _consumed.Add(new ConsumedRecord(consumer, producer, seq, partition, offset, ts));
        return this;
    }

    public HistoryBuilder Garbage(int partition, long offset)
    {
        _consumed.Add(new ConsumedRecord("c0", null, null, partition, offset, 0, "envelope checksum mismatch"));
        return this;
    }

    public HistoryBuilder Fault(string name, FaultPhase phase, long ts)
    {
        _faults.Add(new FaultEvent(name, phase, "broker-1", ts, ""));
        return this;
    }

    public History Build() => new(_produced, _consumed, _faults);
}
