using KafkaChaos.Journal;

namespace KafkaChaos.Tests.Ledger;

/// <summary>Hand-written histories for checker tests, in the vocabulary of the journal, with producers by name.</summary>
internal sealed class HistoryBuilder
{
    private readonly List<ProduceOutcome> _produced = [];
    private readonly List<ConsumedRecord> _consumed = [];
    private readonly List<FaultEvent> _faults = [];
    private readonly List<string> _producers = [];

    public HistoryBuilder Acked(string producer, long seq, int partition, long offset, long ts = 0)
    {
        _produced.Add(new ProduceOutcome(Id(producer), seq, ProduceStatus.Acked, partition, offset, ts));
        return this;
    }

    public HistoryBuilder AckedWithoutPosition(string producer, long seq, long ts = 0)
    {
        _produced.Add(new ProduceOutcome(Id(producer), seq, ProduceStatus.Acked, ProduceOutcome.NoPosition, ProduceOutcome.NoPosition, ts));
        return this;
    }

    public HistoryBuilder Failed(string producer, long seq, long ts = 0)
    {
        _produced.Add(new ProduceOutcome(Id(producer), seq, ProduceStatus.Failed, ProduceOutcome.NoPosition, ProduceOutcome.NoPosition, ts, -192));
        return this;
    }

    public HistoryBuilder Unknown(string producer, long seq, long ts = 0)
    {
        _produced.Add(new ProduceOutcome(Id(producer), seq, ProduceStatus.Unknown, ProduceOutcome.NoPosition, ProduceOutcome.NoPosition, ts, -172));
        return this;
    }

    public HistoryBuilder Consumed(string producer, long seq, int partition, long offset, long ts = 0, int consumer = 0,
        ConsumeKind kind = ConsumeKind.Processed)
    {
        _consumed.Add(new ConsumedRecord(consumer, Id(producer), seq, partition, offset, ts, kind));
        return this;
    }

    public HistoryBuilder Garbage(int partition, long offset)
    {
        _consumed.Add(new ConsumedRecord(0, -1, -1, partition, offset, 0, ConsumeKind.Unreadable));
        return this;
    }

    public HistoryBuilder Fault(string name, FaultPhase phase, long ts)
    {
        _faults.Add(new FaultEvent(name, phase, "broker-1", ts, ""));
        return this;
    }

    public History Build() => new(_produced, _consumed, _faults, ProducerNames: _producers);

    private int Id(string producer)
    {
        var id = _producers.IndexOf(producer);
        if (id < 0)
        {
            _producers.Add(producer);
            id = _producers.Count - 1;
        }

        return id;
    }
}
