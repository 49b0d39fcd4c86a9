namespace KafkaChaos.Workload;

/// <summary>
/// How far the consumer group has read each partition, across every instance it has had, and when it
/// last read anything: what the final drain waits on.
/// </summary>
/// <remarks>
/// Each instance counts on its own <see cref="ConsumerProgress"/>, so reading a record takes no lock;
/// the group's figures are combined when asked for. A dead instance's progress stays in the sums:
/// what it read was read.
/// </remarks>
public sealed class GroupProgress
{
    private readonly Lock _gate = new();
    private ConsumerProgress[] _instances = [];
    private long _startedMillis;

    public long Records
    {
        get
        {
            long records = 0;
            foreach (var instance in Instances)
            {
                records += instance.Records;
            }

            return records;
        }
    }

    /// <summary>When the group last read a record, or started when it has read none since.</summary>
    public long LastRecordMillis
    {
        get
        {
            var last = Interlocked.Read(ref _startedMillis);
            foreach (var instance in Instances)
            {
                last = Math.Max(last, instance.LastRecordMillis);
            }

            return last;
        }
    }

    private ConsumerProgress[] Instances => Volatile.Read(ref _instances);

    public void Started(long nowMillis) => Interlocked.Exchange(ref _startedMillis, nowMillis);

    /// <summary>The progress of a new instance of the group, for that instance alone to write.</summary>
    public ConsumerProgress Join()
    {
        var instance = new ConsumerProgress();
        lock (_gate)
        {
            Volatile.Write(ref _instances, [.. _instances, instance]);
        }

        return instance;
    }

    /// <summary>The offset after the highest one any instance has read in <paramref name="partition"/>.</summary>
    public long Next(int partition)
    {
        long next = 0;
        foreach (var instance in Instances)
        {
            next = Math.Max(next, instance.Next(partition));
        }

        return next;
    }

    /// <summary>Partitions whose next offset to read is still below <paramref name="endOffsets"/>.</summary>
    public IReadOnlyList<int> Behind(IReadOnlyDictionary<int, long> endOffsets) =>
        endOffsets.Where(end => IsBehind(end.Key, end.Value)).Select(end => end.Key).ToArray();

    /// <summary>True when every partition has been read up to <paramref name="endOffsets"/>.</summary>
    public bool HasReached(IReadOnlyDictionary<int, long> endOffsets)
    {
        ArgumentNullException.ThrowIfNull(endOffsets);
        foreach (var (partition, end) in endOffsets)
        {
            if (IsBehind(partition, end))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An empty partition (end 0) is never behind.</summary>
    private bool IsBehind(int partition, long end) => end > 0 && Next(partition) < end;
}
