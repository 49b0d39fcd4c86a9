namespace KafkaChaos.Workload;

/// <summary>
/// How far one consumer instance has read each partition, how many records it has read, and when it
/// last read one: written by that instance's poll thread alone, read by anyone.
/// </summary>
/// <remarks>
/// One writer needs no lock and no locked instruction: each field is a plain store that readers see
/// whole. A lock here cost about 20 ns a record on the thread that bounds how fast the consumer
/// reads, and the bench's drain, checking progress every millisecond, took the same lock
/// (docs/bench.md). <see cref="GroupProgress"/> combines the instances.
/// </remarks>
public sealed class ConsumerProgress
{
    private long[] _next = new long[8];
    private long _records;
    private long _lastRecordMillis;

    public long Records => Volatile.Read(ref _records);

    public long LastRecordMillis => Volatile.Read(ref _lastRecordMillis);

    /// <summary>The offset after the highest one read in <paramref name="partition"/>; 0 before any.</summary>
    public long Next(int partition)
    {
        var next = Volatile.Read(ref _next);
        return partition >= 0 && partition < next.Length ? Volatile.Read(ref next[partition]) : 0;
    }

    /// <summary>Call from the instance's poll thread only.</summary>
    public void Reached(int partition, long offset, long nowMillis)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        var next = _next;
        if (partition >= next.Length)
        {
            next = Grow(partition);
        }

        if (offset + 1 > next[partition])
        {
            Volatile.Write(ref next[partition], offset + 1);
        }

        Volatile.Write(ref _records, _records + 1);
        Volatile.Write(ref _lastRecordMillis, nowMillis);
    }

    /// <summary>
    /// Copies the offsets into a larger array and publishes it. Only the writer copies, so nothing is
    /// lost; a reader still holding the old array sees the offsets of a moment ago.
    /// </summary>
    private long[] Grow(int partition)
    {
        var grown = new long[Math.Max(partition + 1, _next.Length * 2)];
        _next.CopyTo(grown, 0);
        Volatile.Write(ref _next, grown);
        return grown;
    }
}
