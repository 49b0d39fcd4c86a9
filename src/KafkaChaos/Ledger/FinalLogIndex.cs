namespace KafkaChaos.Ledger;

/// <summary>
/// Which message the final log holds at each partition and offset, so that every ack and every group
/// read can be compared with it (<c>inconsistent_offsets</c>) and a gap in a consumer's reads can be
/// judged against what the log really holds (<c>poll_skip</c>).
/// </summary>
/// <remarks>
/// Unlike the ledger's other structures this one is exact per record, not per range: 8 bytes per record
/// of the final log, in chunks of 2^12 offsets (32 KB, on the pinned-object heap, which a collection
/// never copies) allocated only where the log has records. A message is packed as producer (20 bits) and sequence (44 bits); a message outside that range is not indexed and
/// is then compared with nothing. Lookups in offset order hit the last chunk used, so they cost an
/// array read.
/// </remarks>
internal sealed class FinalLogIndex
{
    /// <summary>No record at that offset in the final log.</summary>
    public const ulong Absent = 0;

    /// <summary>A record that is not an intact envelope of this run.</summary>
    public const ulong Unreadable = ulong.MaxValue;

    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ProducerBits = 20;
    private const int SequenceBits = 44;

    private readonly List<PartitionChunks?> _partitions = [];

    /// <summary>The packed form of a message, never <see cref="Absent"/> or <see cref="Unreadable"/>; <see cref="Absent"/> when it cannot be packed.</summary>
    public static ulong Message(int producer, long sequence) =>
        producer is < 0 or >= (1 << ProducerBits) - 1 || sequence is < 0 or >= 1L << SequenceBits
            ? Absent
            : (((ulong)producer << SequenceBits) | (ulong)sequence) + 1;

    public ulong Get(int partition, long offset)
    {
        if ((uint)partition >= (uint)_partitions.Count || _partitions[partition] is not { } chunks)
        {
            return Absent;
        }

        var chunk = chunks.Find(offset >> ChunkBits);
        return chunk is null ? Absent : chunk[offset & (ChunkSize - 1)];
    }

    /// <returns>What was there before (<see cref="Absent"/> the first time).</returns>
    public ulong Set(int partition, long offset, ulong message)
    {
        while (_partitions.Count <= partition)
        {
            _partitions.Add(null);
        }

        var chunks = _partitions[partition] ??= new PartitionChunks();
        var chunkNumber = offset >> ChunkBits;
        var chunk = chunks.Find(chunkNumber);
        chunk ??= chunks.Add(chunkNumber);

        ref var slot = ref chunk[offset & (ChunkSize - 1)];
        var before = slot;
        if (before == Absent)
        {
            slot = message;
        }

        return before;
    }

    /// <summary>Whether the final log holds any record at an offset in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public bool AnyIn(int partition, long from, long to)
    {
        if (partition >= _partitions.Count || _partitions[partition] is not { } chunks)
        {
            return false;
        }

        for (var offset = from; offset <= to;)
        {
            var chunkNumber = offset >> ChunkBits;
            var chunkEnd = Math.Min(to, ((chunkNumber + 1) << ChunkBits) - 1);
            if (chunks.Find(chunkNumber) is { } chunk)
            {
                for (var o = offset; o <= chunkEnd; o++)
                {
                    if (chunk[o & (ChunkSize - 1)] != Absent)
                    {
                        return true;
                    }
                }
            }

            offset = chunkEnd + 1;
        }

        return false;
    }

    /// <summary>One partition's chunks, with the last one used at hand: lookups in offset order cost an array read.</summary>
    private sealed class PartitionChunks
    {
        private readonly Dictionary<long, ulong[]> _chunks = [];
        private long _cachedNumber = -1;
        private ulong[]? _cached;

        public ulong[]? Find(long chunkNumber)
        {
            if (chunkNumber == _cachedNumber)
            {
                return _cached;
            }

            if (!_chunks.TryGetValue(chunkNumber, out var chunk))
            {
                return null;
            }

            (_cachedNumber, _cached) = (chunkNumber, chunk);
            return chunk;
        }

        public ulong[] Add(long chunkNumber)
        {
            // On the pinned-object heap: a collection never copies it, where gen0 chunks were promoted at 20 ns a record.
            var chunk = GC.AllocateArray<ulong>(ChunkSize, pinned: true);
            _chunks[chunkNumber] = chunk;
            (_cachedNumber, _cached) = (chunkNumber, chunk);
            return chunk;
        }
    }
}
