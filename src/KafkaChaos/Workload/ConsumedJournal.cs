using Confluent.Kafka;
using KafkaChaos.Journal;

namespace KafkaChaos.Workload;

/// <summary>
/// What one consumer instance journals of the records it was given: processed, skipped by the dedup store,
/// abandoned by a crash, unreadable, and its assignment changes, each stamped with the instance and the
/// clock; the commit policy, the crash injection and the worker queue all write through it.
/// </summary>
internal sealed class ConsumedJournal(int consumer, Guid runId, JournalWriter journal, TimeProvider time)
{
    /// <summary>Whether <paramref name="result"/> holds an intact envelope of this run.</summary>
    public bool TryRead(ConsumeResult<Ignore, MessageEnvelope?> result, out MessageEnvelope envelope)
    {
        envelope = result.Message.Value.GetValueOrDefault();
        return result.Message.Value.HasValue && envelope.RunId == runId;
    }

    /// <summary>A record that is not a message of this run; returns the time it was journalled at, in ms.</summary>
    public long Unreadable(int partition, long offset)
    {
        var millis = time.Millis();
        journal.WriteConsumed(new ConsumedRecord(consumer, -1, -1, partition, offset, millis, ConsumeKind.Unreadable));
        return millis;
    }

    /// <summary>A message processed or skipped, at <paramref name="nowMillis"/> (the caller's one clock read).</summary>
    public void Handled(in MessageEnvelope envelope, int partition, long offset, long nowMillis, ConsumeKind kind) =>
        journal.WriteConsumed(new ConsumedRecord(consumer, envelope.ProducerId, envelope.Sequence, partition, offset, nowMillis, kind));

    /// <summary>A record handed over and never processed, because the process died with it: evidence, not consumption.</summary>
    public void Abandoned(ConsumeResult<Ignore, MessageEnvelope?> record)
    {
        var readable = TryRead(record, out var envelope);
        journal.WriteConsumed(new ConsumedRecord(consumer, readable ? envelope.ProducerId : -1, readable ? envelope.Sequence : -1,
            record.Partition.Value, record.Offset.Value, time.Millis(), readable ? ConsumeKind.Abandoned : ConsumeKind.Unreadable));
    }

    /// <summary>A partition assigned to or revoked from this instance.</summary>
    public void AssignmentChange(ConsumeKind kind, int partition) =>
        journal.WriteConsumed(new ConsumedRecord(consumer, -1, -1, partition, -1, time.Millis(), kind));
}
