namespace KafkaChaos.Journal;

/// <summary>Reads what <see cref="RecordBuffer"/> wrote; any overrun is a malformed block.</summary>
internal ref struct RecordReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    public readonly bool AtEnd => _position >= _bytes.Length;

    public byte ReadByte()
    {
        if (_position >= _bytes.Length)
        {
            throw new FormatException("record runs past the end of its block");
        }

        return _bytes[_position++];
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("varint longer than 10 bytes");
    }

    public long ReadSigned()
    {
        var raw = ReadVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public int ReadInt32()
    {
        var value = ReadVarint();
        return value <= int.MaxValue ? (int)value : throw new FormatException($"value {value} does not fit a 32-bit field");
    }
}
