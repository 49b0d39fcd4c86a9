namespace KafkaChaos.Journal;

/// <summary>
/// Binary form of a <see cref="ConsumedRecord"/> in <c>consumed.bin</c> (layout in docs/journal.md):
/// consumer, kind, [producer, Δsequence], partition, Δoffset, Δtimestamp. The same form serves final.bin.
/// </summary>
internal static class ConsumedCodec
{
    public static void Encode(RecordBuffer buffer, in ConsumedRecord record, ref DeltaState state)
    {
        buffer.WriteVarint((uint)record.Consumer);
        buffer.WriteByte((byte)record.Kind);
        if (record.Kind.CarriesMessage())
        {
            buffer.WriteVarint((uint)record.Producer);
            buffer.WriteSigned(record.Sequence - state.Sequence);
            state.Sequence = record.Sequence;
        }

        buffer.WriteVarint((uint)record.Partition);
        buffer.WriteSigned(record.Offset - state.Offset);
        state.Offset = record.Offset;
        buffer.WriteSigned(record.TimestampMs - state.TimestampMs);
        state.TimestampMs = record.TimestampMs;
    }

    public static ConsumedRecord Decode(ref RecordReader reader, ref DeltaState state)
    {
        var consumer = reader.ReadInt32();
        var kindByte = reader.ReadByte();
        if (kindByte > (byte)ConsumeKindFacts.Highest)
        {
            throw new FormatException($"unknown consume kind {kindByte}");
        }

        var kind = (ConsumeKind)kindByte;
        var producer = -1;
        long sequence = -1;
        if (kind.CarriesMessage())
        {
            producer = reader.ReadInt32();
            state.Sequence += reader.ReadSigned();
            sequence = state.Sequence;
        }

        var partition = reader.ReadInt32();
        state.Offset += reader.ReadSigned();
        state.TimestampMs += reader.ReadSigned();
        return new ConsumedRecord(consumer, producer, sequence, partition, state.Offset, state.TimestampMs, kind);
    }
}
