namespace KafkaChaos.Journal;

/// <summary>A growable byte buffer with the varint encodings the binary journal streams use.</summary>
internal sealed class RecordBuffer
{
    private byte[] _bytes = new byte[1 << 16];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void WriteByte(byte value)
    {
        Ensure(1);
        _bytes[Length++] = value;
    }

    /// <summary>LEB128: 7 bits a byte, low bits first.</summary>
    public void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _bytes[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _bytes[Length++] = (byte)value;
    }

    /// <summary>Zigzag then LEB128, so small negative deltas stay one byte.</summary>
    public void WriteSigned(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    private void Ensure(int extra)
    {
        if (Length + extra > _bytes.Length)
        {
            Array.Resize(ref _bytes, _bytes.Length * 2);
        }
    }
}
