namespace KafkaChaos.Ledger;

/// <summary>Counts events into one-second buckets; an array indexed from the first second seen.</summary>
internal sealed class TimelineBuilder
{
    private const int Acked = 0, Failed = 1, Unknown = 2, Consumed = 3;
    private readonly List<long[]> _seconds = [];
    private long _first = long.MinValue;
    private long _cachedSecond = long.MinValue;
    private long[] _cachedBucket = [];

    public void Outcome(long timestampMs, Journal.ProduceStatus status) =>
        Bucket(timestampMs)[status switch
        {
            Journal.ProduceStatus.Acked => Acked,
            Journal.ProduceStatus.Failed => Failed,
            _ => Unknown,
        }]++;

    public void Consumption(long timestampMs) => Bucket(timestampMs)[Consumed]++;

    /// <summary>The first and one past the last second counted (Unix ms); (0, 0) before any event.</summary>
    public (long StartMs, long EndMs) Span => _first == long.MinValue ? (0, 0) : (_first * 1000, (_first + _seconds.Count) * 1000);

    public IReadOnlyList<ThroughputSecond> Build() =>
        _seconds.Select((c, i) => new ThroughputSecond(_first + i, c[Acked], c[Failed], c[Unknown], c[Consumed])).ToArray();

    private long[] Bucket(long timestampMs)
    {
        var second = Math.DivRem(timestampMs, 1000) is var (q, r) && r < 0 ? q - 1 : q;
        if (second == _cachedSecond)
        {
            return _cachedBucket; // events arrive in time order, mostly many per second
        }

        _cachedBucket = BucketFor(second);
        _cachedSecond = second;
        return _cachedBucket;
    }

    private long[] BucketFor(long second)
    {
        if (_first == long.MinValue)
        {
            _first = second;
        }

        if (second < _first)
        {
            // Timestamps from several clients are not perfectly ordered; prepend the missing seconds.
            // Bounded so a garbage timestamp cannot allocate years of buckets.
            var missing = (int)Math.Min(_first - second, 86_400);
            _seconds.InsertRange(0, Enumerable.Range(0, missing).Select(_ => new long[4]));
            _first -= missing;
        }

        var index = second - _first;
        if (index >= 86_400 * 7 || index < 0)
        {
            return new long[4];
        }

        while (_seconds.Count <= index)
        {
            _seconds.Add(new long[4]);
        }

        return _seconds[(int)index];
    }
}
