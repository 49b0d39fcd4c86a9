using System.Buffers.Binary;
using System.IO.Hashing;

namespace KafkaChaos.Journal;

/// <summary>
/// Framing of the binary journal streams: a file is a sequence of blocks, each a 16-byte header
/// (magic "KCB1", payload length, record count, CRC-32 of the payload; little-endian) and its payload.
/// </summary>
/// <remarks>
/// A crash can leave a partly written last block; its length runs past the end of the file or its CRC
/// does not match, and the reader drops it and reports the history as truncated. A bad block anywhere
/// else is damage, not a crash, and reading fails.
/// </remarks>
internal static class BlockFormat
{
    public const int HeaderSize = 16;
    public const uint Magic = 0x3142434B; // "KCB1"

    /// <summary>Blocks are cut at about this size, so a reader never holds more than one in memory.</summary>
    public const int TargetBlockBytes = 256 * 1024;

    public static void WriteHeader(Span<byte> header, ReadOnlySpan<byte> payload, int count)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Crc32.HashToUInt32(payload));
    }

    public static bool TryReadHeader(ReadOnlySpan<byte> header, out int length, out int count, out uint crc)
    {
        length = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        count = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        crc = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        return BinaryPrimitives.ReadUInt32LittleEndian(header) == Magic && length >= 0 && count >= 0;
    }
}
