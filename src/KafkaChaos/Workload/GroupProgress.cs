using System.Runtime.InteropServices;

namespace KafkaChaos.Workload;

/// <summary>
/// How far the consumer group has read each partition, across every instance it has had, and when it
/// last read anything: what the final drain waits on.
/// </summary>
public sealed class GroupProgress
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, long> _next = [];
    private long _lastRecordMillis;

    public long Records { get; private set; }

    public long LastRecordMillis => Interlocked.Read(ref _lastRecordMillis);

    public void Started(long nowMillis) => Interlocked.Exchange(ref _lastRecordMillis, nowMillis);

    public void Reached(int partition, long offset, long nowMillis)
    {
        lock (_gate)
        {
            ref var next = ref CollectionsMarshal.GetValueRefOrAddDefault(_next, partition, out _);
            next = Math.Max(next, offset + 1);
            Records++;
            Volatile.Write(ref _lastRecordMillis, nowMillis);
        }
    }

    /// <summary>Partitions whose next offset to read is still below <paramref name="endOffsets"/>.</summary>
    public IReadOnlyList<int> Behind(IReadOnlyDictionary<int, long> endOffsets)
    {
        lock (_gate)
        {
            return endOffsets.Where(end => end.Value > 0 && _next.GetValueOrDefault(end.Key) < end.Value).Select(end => end.Key).ToArray();
        }
    }
}
