namespace KafkaChaos.Ledger;

/// <summary>
/// Counts messages into (partition, time bucket, fate) cells while the checker settles them. The span is
/// known before the first message (pass 1 saw every timestamp), so the buckets are fixed up front and
/// counting costs one array increment per message, with memory bounded by lanes × buckets.
/// </summary>
internal sealed class FateTimelineBuilder(long startMs, long endMs)
{
    /// <summary>Partitions with a lane of their own; higher ones are counted in no lane, only in the total.</summary>
    public const int MaxLanes = 64;

    /// <summary>Buckets across a cell's span: enough to see seconds around a fault in a minute-long run.</summary>
    public const int MaxBuckets = 300;

    private static readonly int Fates = Enum.GetValues<MessageFate>().Length;
    private readonly long _bucketMs = Math.Max(100, (endMs - startMs + MaxBuckets - 1) / MaxBuckets);

    /// <summary>Lane i is partition i; the last lane holds sends without an acknowledged position.</summary>
    private readonly long[]?[] _lanes = new long[MaxLanes + 1][];
    private int _highestPartition = -1;

    public void Add(int? partition, long timestampMs, MessageFate fate)
    {
        if (timestampMs < startMs || timestampMs >= endMs)
        {
            return; // no timestamp (a started send without outcome), or outside the span the timeline saw
        }

        if (partition is { } p)
        {
            _highestPartition = Math.Max(_highestPartition, p);
            if (p >= MaxLanes)
            {
                return;
            }
        }

        var lane = partition ?? MaxLanes;
        var counts = _lanes[lane] ??= new long[MaxBuckets * Fates];
        var bucket = (int)Math.Min((timestampMs - startMs) / _bucketMs, MaxBuckets - 1);
        counts[(bucket * Fates) + (int)fate]++;
    }

    public FateTimeline Build()
    {
        var buckets = new List<FateBucket>();
        for (var lane = 0; lane <= MaxLanes; lane++)
        {
            if (_lanes[lane] is not { } counts)
            {
                continue;
            }

            for (var bucket = 0; bucket < MaxBuckets; bucket++)
            {
                var c = counts.AsSpan(bucket * Fates, Fates);
                if (c.ContainsAnyExcept(0L))
                {
                    buckets.Add(new FateBucket(lane == MaxLanes ? null : lane, startMs + (bucket * _bucketMs), c[0], c[1], c[2], c[3], c[4], c[5]));
                }
            }
        }

        return new FateTimeline(_bucketMs, buckets, _highestPartition + 1);
    }
}
