using System.Buffers.Binary;
using System.IO.Hashing;

namespace KafkaChaos.Workload;

/// <summary>
/// The identity every produced value carries, so a consumer can attribute each record to exactly one
/// send attempt without trusting keys, offsets or headers.
/// </summary>
/// <remarks>
/// Wire layout, little-endian, 44 bytes followed by filler up to the configured message size:
/// <c>"KC"</c> magic (2) · format version 1 (1) · reserved 0 (1) · run id (16) · producer id (u32) ·
/// sequence (u64) · intended send time in µs since the Unix epoch (i64) · CRC-32 (u32) of every other
/// byte of the value, filler included. A value that is too short, has another magic or version, or
/// fails the checksum is not an envelope and is reported as a phantom.
/// </remarks>
public readonly record struct MessageEnvelope(Guid RunId, int ProducerId, long Sequence, long IntendedSendMicros)
{
    public const int HeaderSize = 44;
    public const int MaxSize = 1 << 20;
    private const byte FormatVersion = 1;
    private const int ChecksumOffset = 40;

    /// <summary>The filler, precomputed: byte i of every value is 'a' + i % 26.</summary>
    private static readonly byte[] Filler = [.. Enumerable.Range(0, MaxSize).Select(i => (byte)('a' + (i % 26)))];

    /// <summary>One CRC state per thread, reset for each value: the hot path allocates nothing.</summary>
    [ThreadStatic]
    private static Crc32? t_crc;

    /// <summary>Writes the envelope followed by deterministic filler over all of <paramref name="destination"/>.</summary>
    public void Encode(Span<byte> destination)
    {
        if (destination.Length is < HeaderSize or > MaxSize)
        {
            throw new ArgumentException($"a message needs {HeaderSize}..{MaxSize} bytes, got {destination.Length}", nameof(destination));
        }

        destination[0] = (byte)'K';
        destination[1] = (byte)'C';
        destination[2] = FormatVersion;
        destination[3] = 0;
        RunId.TryWriteBytes(destination.Slice(4, 16));
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(20, 4), (uint)ProducerId);
        BinaryPrimitives.WriteInt64LittleEndian(destination.Slice(24, 8), Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination.Slice(32, 8), IntendedSendMicros);
        Filler.AsSpan(HeaderSize, destination.Length - HeaderSize).CopyTo(destination[HeaderSize..]);

        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(ChecksumOffset, 4), Checksum(destination));
    }

    /// <summary>Decodes a value; false (with the reason) when it is not an intact envelope.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> value, out MessageEnvelope envelope, out string? error)
    {
        envelope = default;
        if (value.Length < HeaderSize)
        {
            error = $"value is {value.Length} bytes, shorter than the {HeaderSize}-byte envelope";
            return false;
        }

        if (value[0] != (byte)'K' || value[1] != (byte)'C' || value[2] != FormatVersion)
        {
            error = "value does not start with the KC envelope magic and version 1";
            return false;
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(value.Slice(ChecksumOffset, 4));
        if (stored != Checksum(value))
        {
            error = "envelope checksum mismatch";
            return false;
        }

        envelope = new MessageEnvelope(
            new Guid(value.Slice(4, 16)),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(value.Slice(20, 4)),
            BinaryPrimitives.ReadInt64LittleEndian(value.Slice(24, 8)),
            BinaryPrimitives.ReadInt64LittleEndian(value.Slice(32, 8)));
        error = null;
        return true;
    }

    private static uint Checksum(ReadOnlySpan<byte> value)
    {
        var crc = t_crc ??= new Crc32();
        crc.Reset();
        crc.Append(value[..ChecksumOffset]);
        crc.Append(value[HeaderSize..]);
        return crc.GetCurrentHashAsUInt32();
    }
}
