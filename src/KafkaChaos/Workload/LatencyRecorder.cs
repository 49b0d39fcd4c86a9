using HdrHistogram;

namespace KafkaChaos.Workload;

/// <summary>
/// Latencies in microseconds, measured from the intended send time (not the actual one) so that a
/// stalled producer shows up as latency instead of vanishing from the samples (coordinated omission).
/// Single writer: each recorder is fed by one client thread.
/// </summary>
public sealed class LatencyRecorder
{
    private static readonly long HighestTrackableMicros = TimeSpan.FromHours(1).Ticks / 10;
    private readonly LongHistogram _histogram = new(HighestTrackableMicros, 3);

    public void Record(long micros) => _histogram.RecordValue(Math.Clamp(micros, 0, HighestTrackableMicros));

    /// <summary>Adds another recorder's samples, e.g. a restarted consumer's, into this one.</summary>
    public void Add(LatencyRecorder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _histogram.Add(other._histogram);
    }

    public LatencySummary Summarize() => new(
        _histogram.TotalCount,
        _histogram.GetValueAtPercentile(50),
        _histogram.GetValueAtPercentile(90),
        _histogram.GetValueAtPercentile(99),
        _histogram.GetValueAtPercentile(99.9),
        _histogram.GetValueAtPercentile(99.99),
        _histogram.TotalCount == 0 ? 0 : _histogram.GetMaxValue());
}
