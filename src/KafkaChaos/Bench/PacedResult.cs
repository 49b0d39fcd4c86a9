using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// Latency at a share of the raw client's maximum sustained rate (<see cref="BenchCellResult.Sustained"/>): every alternation of both clients, and the
/// median p99 of each, produce-to-ack and end-to-end, which is what the target compares (one run's p99
/// moves with the machine). The producer perf test's runs at the same rate, where peers ran; and the
/// same share measured again, where every round of the first put the harness above the limit.
/// </summary>
public sealed record PacedResult(double ShareOfMax, double Rate, IReadOnlyList<RunMetrics> Raw, IReadOnlyList<RunMetrics> Harness)
{
    /// <summary><c>kafka-producer-perf-test.sh</c> at the same rate, alternated with both clients; empty where no peers ran.</summary>
    public IReadOnlyList<RunMetrics> PerfTest { get; init; } = [];

    /// <summary>The share measured once more because <see cref="MissCandidates"/> named a latency; null otherwise.</summary>
    public PacedResult? Reproduction { get; init; }

    /// <summary>
    /// The latencies ("produce-to-ack", "end-to-end") whose whole interval of per-round harness/raw p99
    /// ratios lies above <see cref="BenchRunner.P99Limit"/>: a miss, if a second measurement agrees.
    /// </summary>
    public IReadOnlyList<string> MissCandidates() =>
        [.. Latencies.Where(l => Interval(l.Latency) is { Low: > BenchRunner.P99Limit }).Select(l => l.Name)];

    /// <summary>The confidence interval of the median per-round harness/raw p99 ratio of one latency.</summary>
    internal MedianInterval Interval(Func<RunMetrics, LatencySummary?> latency) =>
        Statistics.IntervalOfMedian(BenchCellResult.RoundRatios(Harness, Raw, r => latency(r)?.P99));

    internal static IReadOnlyList<(string Name, Func<RunMetrics, LatencySummary?> Latency)> Latencies { get; } =
        [("produce-to-ack", r => r.ProduceToAck), ("end-to-end", r => r.EndToEnd)];

    public long RawP99 => MedianP99(Raw, r => r.ProduceToAck);

    public long HarnessP99 => MedianP99(Harness, r => r.ProduceToAck);

    public long RawEndToEndP99 => MedianP99(Raw, r => r.EndToEnd);

    public long HarnessEndToEndP99 => MedianP99(Harness, r => r.EndToEnd);

    /// <summary>The median of the runs' p99s of <paramref name="latency"/> (0 for a run without it).</summary>
    internal static long MedianP99(IReadOnlyList<RunMetrics> runs, Func<RunMetrics, LatencySummary?> latency) =>
        (long)Statistics.Median(runs.Select(r => (double)(latency(r)?.P99 ?? 0)));
}
