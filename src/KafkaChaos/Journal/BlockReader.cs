using System.IO.Hashing;

namespace KafkaChaos.Journal;

/// <summary>Reads a binary journal stream written by <see cref="BlockWriter"/>.</summary>
internal static class BlockReader
{
    /// <summary>
    /// Walks the block headers and checks the last block's CRC.
    /// </summary>
    /// <returns>The length of the file's intact part, and whether anything after it was dropped.</returns>
    public static (long ValidLength, bool Torn) Scan(string path)
    {
        if (!File.Exists(path))
        {
            return (0, false);
        }

        using var file = File.OpenRead(path);
        var header = new byte[BlockFormat.HeaderSize];
        long position = 0;
        long lastBlock = -1;
        while (position + BlockFormat.HeaderSize <= file.Length)
        {
            file.Position = position;
            file.ReadExactly(header);
            if (!BlockFormat.TryReadHeader(header, out var length, out _, out _))
            {
                throw new JournalFormatException($"{path}: block at byte {position} has a bad header; the file is damaged or not a journal stream");
            }

            if (position + BlockFormat.HeaderSize + length > file.Length)
            {
                // A crash cuts only the last block short. A length that runs past the end with an
                // intact block after it is a damaged header, and dropping the rest would invent loss.
                if (FindIntactBlock(file, position + 1) is { } next)
                {
                    throw new JournalFormatException(
                        $"{path}: block at byte {position} claims {length} bytes, past the end of the file, yet an intact block starts at byte {next}; the file is damaged, not cut short");
                }

                return (position, true);
            }

            lastBlock = position;
            position += BlockFormat.HeaderSize + length;
        }

        var torn = position < file.Length;
        if (lastBlock >= 0 && !BlockIsIntact(file, lastBlock))
        {
            return (lastBlock, true);
        }

        return (position, torn);
    }

    /// <summary>Yields each block's payload and record count, up to <paramref name="validLength"/>.</summary>
    public static IEnumerable<(byte[] Payload, int Length, int Count)> Blocks(string path, long validLength)
    {
        if (validLength == 0)
        {
            yield break;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        var header = new byte[BlockFormat.HeaderSize];
        var payload = new byte[BlockFormat.TargetBlockBytes * 2];
        long position = 0;
        while (position < validLength)
        {
            file.ReadExactly(header);
            BlockFormat.TryReadHeader(header, out var length, out var count, out var crc);
            if (payload.Length < length)
            {
                payload = new byte[length];
            }

            file.ReadExactly(payload, 0, length);
            if (Crc32.HashToUInt32(payload.AsSpan(0, length)) != crc)
            {
                throw new JournalFormatException($"{path}: block at byte {position} fails its checksum; the file is damaged");
            }

            yield return (payload, length, count);
            position += BlockFormat.HeaderSize + length;
        }
    }

    /// <summary>The first position at or after <paramref name="from"/> where a whole block with a matching checksum starts.</summary>
    private static long? FindIntactBlock(FileStream file, long from)
    {
        Span<byte> magic = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(magic, BlockFormat.Magic);
        var window = new byte[1 << 20];
        for (var start = from; start + BlockFormat.HeaderSize <= file.Length; start += window.Length - BlockFormat.HeaderSize)
        {
            file.Position = start;
            var read = file.ReadAtLeast(window, window.Length, throwOnEndOfStream: false);
            var span = window.AsSpan(0, read);
            for (var at = span.IndexOf(magic); at >= 0; at = NextIndex(span, magic, at))
            {
                var candidate = start + at;
                if (candidate + BlockFormat.HeaderSize <= file.Length && IsWholeIntactBlock(file, candidate))
                {
                    return candidate;
                }
            }

            if (read < window.Length)
            {
                break;
            }
        }

        return null;
    }

    private static int NextIndex(ReadOnlySpan<byte> span, ReadOnlySpan<byte> magic, int after)
    {
        var rest = span[(after + 1)..].IndexOf(magic);
        return rest < 0 ? -1 : after + 1 + rest;
    }

    private static bool IsWholeIntactBlock(FileStream file, long position)
    {
        var header = new byte[BlockFormat.HeaderSize];
        file.Position = position;
        file.ReadExactly(header);
        return BlockFormat.TryReadHeader(header, out var length, out _, out _)
            && position + BlockFormat.HeaderSize + length <= file.Length
            && BlockIsIntact(file, position);
    }

    private static bool BlockIsIntact(FileStream file, long position)
    {
        var header = new byte[BlockFormat.HeaderSize];
        file.Position = position;
        file.ReadExactly(header);
        BlockFormat.TryReadHeader(header, out var length, out _, out var crc);
        var payload = new byte[length];
        file.ReadExactly(payload);
        return Crc32.HashToUInt32(payload) == crc;
    }
}
