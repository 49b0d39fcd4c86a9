using System.Buffers.Binary;
using System.IO.Hashing;

namespace KafkaChaos.Workload;

/// <summary>
/// The identity every produced value carries, so a consumer can attribute each record to exactly one
/// send attempt without trusting keys, offsets or headers.
/// </summary>
/// <remarks>
/// Wire layout, little-endian, 44 bytes followed by filler up to the configured message size:
/// <c>"KC"</c> magic (2) · format version 2 (1) · reserved 0 (1) · CRC-32 (u32) of everything after it,
/// filler included · run id (16) · producer id (u32) · sequence (u64) · intended send time in µs since
/// the Unix epoch (i64). A value that is too short, has another magic or version, or fails the checksum
/// is not an envelope and is reported as a phantom.
/// The checksummed bytes are one contiguous span so that the CRC runs as one vectorized pass: version 1
/// kept the checksum in the middle of the header, and the two short pieces that split into went
/// byte by byte, which was the largest share of the harness's extra cost per 100-byte message.
/// </remarks>
public readonly record struct MessageEnvelope(Guid RunId, int ProducerId, long Sequence, long IntendedSendMicros)
{
    public const int HeaderSize = 44;
    public const int MaxSize = 1 << 20;
    public const int SequenceOffset = 28;
    public const int IntendedSendOffset = 36;
    private const byte FormatVersion = 2;
    private const int ChecksumOffset = 4;
    private const int ChecksummedFrom = 8;

    /// <summary>The filler, precomputed: byte i of every value is 'a' + i % 26.</summary>
    private static readonly byte[] Filler = [.. Enumerable.Range(0, MaxSize).Select(i => (byte)('a' + (i % 26)))];

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
        RunId.TryWriteBytes(destination.Slice(8, 16));
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(24, 4), (uint)ProducerId);
        BinaryPrimitives.WriteInt64LittleEndian(destination.Slice(SequenceOffset, 8), Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination.Slice(IntendedSendOffset, 8), IntendedSendMicros);
        Filler.AsSpan(HeaderSize, destination.Length - HeaderSize).CopyTo(destination[HeaderSize..]);

        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(ChecksumOffset, 4), Crc32.HashToUInt32(destination[ChecksummedFrom..]));
    }

    /// <summary>The sequence of a value this process encoded, without checking it: for delivery reports.</summary>
    public static long ReadSequence(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadInt64LittleEndian(value.Slice(SequenceOffset, 8));

    /// <summary>The intended send time of a value this process encoded, without checking it.</summary>
    public static long ReadIntendedSendMicros(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadInt64LittleEndian(value.Slice(IntendedSendOffset, 8));

    /// <summary>Decodes a value; false (with the reason) when it is not an intact envelope.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> value, out MessageEnvelope envelope, out string? error)
    {
        envelope = default;
        if (value.Length < HeaderSize)
        {
            error = $"value is {value.Length} bytes, shorter than the {HeaderSize}-byte envelope";
            return false;
        }

        if (value[0] != (byte)'K' || value[1] != (byte)'C' || value[2] != FormatVersion || value[3] != 0)
        {
            error = $"value does not start with the KC envelope magic and version {FormatVersion}";
            return false;
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(value.Slice(ChecksumOffset, 4));
        if (stored != Crc32.HashToUInt32(value[ChecksummedFrom..]))
        {
            error = "envelope checksum mismatch";
            return false;
        }

        envelope = new MessageEnvelope(
            new Guid(value.Slice(8, 16)),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(value.Slice(24, 4)),
            ReadSequence(value),
            ReadIntendedSendMicros(value));
        error = null;
        return true;
    }
}
