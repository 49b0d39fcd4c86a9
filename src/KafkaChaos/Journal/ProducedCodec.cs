namespace KafkaChaos.Journal;

/// <summary>
/// Binary form of a <see cref="ProduceOutcome"/> in <c>produced.bin</c> (layout in docs/journal.md):
/// producer, Δsequence, status, [partition, Δoffset], Δtimestamp, [error code].
/// </summary>
internal static class ProducedCodec
{
    private const byte AckedAt = 0;
    private const byte AckedNoPosition = 1;
    private const byte Failed = 2;
    private const byte Unknown = 3;

    public static void Encode(RecordBuffer buffer, in ProduceOutcome outcome, ref DeltaState state)
    {
        buffer.WriteVarint((uint)outcome.Producer);
        buffer.WriteSigned(outcome.Sequence - state.Sequence);
        state.Sequence = outcome.Sequence;
        switch (outcome.Status)
        {
            case ProduceStatus.Acked when outcome.HasPosition:
                buffer.WriteByte(AckedAt);
                buffer.WriteVarint((uint)outcome.Partition);
                buffer.WriteSigned(outcome.Offset - state.Offset);
                state.Offset = outcome.Offset;
                break;
            case ProduceStatus.Acked:
                buffer.WriteByte(AckedNoPosition);
                break;
            default:
                buffer.WriteByte(outcome.Status == ProduceStatus.Failed ? Failed : Unknown);
                break;
        }

        buffer.WriteSigned(outcome.TimestampMs - state.TimestampMs);
        state.TimestampMs = outcome.TimestampMs;
        if (outcome.Status != ProduceStatus.Acked)
        {
            buffer.WriteSigned(outcome.ErrorCode);
        }
    }

    public static ProduceOutcome Decode(ref RecordReader reader, ref DeltaState state)
    {
        var producer = reader.ReadInt32();
        state.Sequence += reader.ReadSigned();
        var tag = reader.ReadByte();
        int partition = ProduceOutcome.NoPosition;
        long offset = ProduceOutcome.NoPosition;
        var status = tag switch
        {
            AckedAt or AckedNoPosition => ProduceStatus.Acked,
            Failed => ProduceStatus.Failed,
            Unknown => ProduceStatus.Unknown,
            _ => throw new FormatException($"unknown produce status tag {tag}"),
        };
        if (tag == AckedAt)
        {
            partition = reader.ReadInt32();
            state.Offset += reader.ReadSigned();
            offset = state.Offset;
        }

        state.TimestampMs += reader.ReadSigned();
        var error = status == ProduceStatus.Acked ? 0 : checked((int)reader.ReadSigned());
        return new ProduceOutcome(producer, state.Sequence, status, partition, offset, state.TimestampMs, error);
    }
}
