using System.Buffers.Binary;
using System.Numerics;

namespace KafkaChaos.Workload;

/// <summary>
/// The identity every produced value carries, so a consumer can attribute each record to exactly one
/// send attempt without trusting keys, offsets or headers.
/// </summary>
/// <remarks>
/// Wire layout, little-endian, 44 bytes followed by filler up to the configured message size:
/// <c>"KC"</c> magic (2) · format version 3 (1) · reserved 0 (1) · CRC-32C (u32) of the header fields
/// after it · run id (16) · producer id (u32) · sequence (u64) · intended send time in µs since the
/// Unix epoch (i64) · filler, byte i being <c>'a' + i % 26</c>. A value that is too short or too long,
/// has another magic or version, fails the checksum, or whose filler differs by one byte is not an
/// envelope and is reported as a phantom.
/// Checking the envelope is the largest part of what the harness adds per message, on the producer
/// and on the consumer, so its form follows the cost. Version 1 kept the checksum in the middle of the
/// header, and the two short pieces that split the bytes into went byte by byte. Version 2 made them
/// one span, filler included. Version 3 takes CRC-32C (the checksum of Kafka's own record batches),
/// which the processor computes 8 bytes per instruction, over the 36 header bytes alone, and compares
/// the filler with the known pattern: that is a vectorized memory compare, and stricter than any
/// checksum. Against version 2, encoding went from 57 to 15 ns at 100 bytes and from 143 to 22 ns at
/// 1 KB, decoding from 41 to 30 ns and from 144 to 59 ns (EnvelopeBenchmarks).
/// </remarks>
public readonly record struct MessageEnvelope(Guid RunId, int ProducerId, long Sequence, long IntendedSendMicros)
{
    public const int HeaderSize = 44;
    public const int MaxSize = 1 << 20;
    public const int ProducerIdOffset = 24;
    public const int SequenceOffset = 28;
    public const int IntendedSendOffset = 36;
    private const byte FormatVersion = 3;
    private const int ChecksumOffset = 4;
    private const int ChecksummedFrom = 8;
    private const int ChecksummedLength = HeaderSize - ChecksummedFrom;

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
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(ProducerIdOffset, 4), (uint)ProducerId);
        BinaryPrimitives.WriteInt64LittleEndian(destination.Slice(SequenceOffset, 8), Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination.Slice(IntendedSendOffset, 8), IntendedSendMicros);
        Filler.AsSpan(HeaderSize, destination.Length - HeaderSize).CopyTo(destination[HeaderSize..]);

        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(ChecksumOffset, 4), Checksum(destination.Slice(ChecksummedFrom, ChecksummedLength)));
    }

    /// <summary>The sequence of a value this process encoded, without checking it: for delivery reports.</summary>
    public static long ReadSequence(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadInt64LittleEndian(value.Slice(SequenceOffset, 8));

    /// <summary>The producer id of a value this process encoded, without checking it.</summary>
    public static int ReadProducerId(ReadOnlySpan<byte> value) => (int)BinaryPrimitives.ReadUInt32LittleEndian(value.Slice(ProducerIdOffset, 4));

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

        if (value.Length > MaxSize)
        {
            error = $"value is {value.Length} bytes, longer than the largest envelope ({MaxSize} bytes)";
            return false;
        }

        if (value[0] != (byte)'K' || value[1] != (byte)'C' || value[2] != FormatVersion || value[3] != 0)
        {
            error = $"value does not start with the KC envelope magic and version {FormatVersion}";
            return false;
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(value.Slice(ChecksumOffset, 4));
        if (stored != Checksum(value.Slice(ChecksummedFrom, ChecksummedLength)))
        {
            error = "envelope checksum mismatch";
            return false;
        }

        var filler = value[HeaderSize..];
        var expected = Filler.AsSpan(HeaderSize, filler.Length);
        if (!filler.SequenceEqual(expected))
        {
            error = $"filler differs from the envelope's pattern at byte {HeaderSize + filler.CommonPrefixLength(expected)}";
            return false;
        }

        envelope = new MessageEnvelope(
            new Guid(value.Slice(8, 16)),
            ReadProducerId(value),
            ReadSequence(value),
            ReadIntendedSendMicros(value));
        error = null;
        return true;
    }

    /// <summary>CRC-32C (Castagnoli) of <paramref name="bytes"/>; hardware-computed where the processor has it.</summary>
    internal static uint Checksum(ReadOnlySpan<byte> bytes)
    {
        var crc = uint.MaxValue;
        for (; bytes.Length >= 8; bytes = bytes[8..])
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        }

        if (bytes.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
            bytes = bytes[4..];
        }

        foreach (var b in bytes)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
