using HdrHistogram;

namespace KafkaChaos.Workload;

/// <summary>
/// Latencies in microseconds, measured from the intended send time (not the actual one) so that a
/// stalled producer shows up as latency instead of vanishing from the samples (coordinated omission).
/// </summary>
/// <remarks>
/// Recording is safe from several threads at once, and has to be: librdkafka runs delivery reports on
/// whichever thread polls, so while the client's background thread serves them, a <c>Flush</c> or a
/// <c>Poll</c> on the sending thread serves some too. A plain histogram lost samples that way.
/// Summaries and <see cref="Add"/> are for after the writers have stopped.
/// </remarks>
public sealed class LatencyRecorder
{
    private static readonly long HighestTrackableMicros = TimeSpan.FromHours(1).Ticks / 10;
    private readonly LongConcurrentHistogram _histogram = new(1, HighestTrackableMicros, 3);

    public void Record(long micros) => _histogram.RecordValue(Math.Clamp(micros, 0, HighestTrackableMicros));

    /// <summary>Adds another recorder's samples, e.g. a restarted consumer's, into this one.</summary>
    public void Add(LatencyRecorder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _histogram.Add(other._histogram);
    }

    /// <summary>The percentiles; with no sample at all (a cell in which every send failed), an empty summary, count 0.</summary>
    public LatencySummary Summarize() => _histogram.TotalCount == 0 ? LatencySummary.Empty : new(
        _histogram.TotalCount,
        _histogram.GetValueAtPercentile(50),
        _histogram.GetValueAtPercentile(90),
        _histogram.GetValueAtPercentile(99),
        _histogram.GetValueAtPercentile(99.9),
        _histogram.GetValueAtPercentile(99.99),
        _histogram.TotalCount == 0 ? 0 : _histogram.GetMaxValue());
}
