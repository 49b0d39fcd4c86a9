namespace KafkaChaos.Bench;

/// <summary>
/// Latency at a share of the raw client's maximum rate: every alternation of both clients, and the
/// median p99 of each, which is what the target compares (one run's p99 moves with the machine).
/// </summary>
public sealed record PacedResult(double ShareOfMax, double Rate, IReadOnlyList<RunMetrics> Raw, IReadOnlyList<RunMetrics> Harness)
{
    public long RawP99 => MedianP99(Raw);

    public long HarnessP99 => MedianP99(Harness);

    private static long MedianP99(IReadOnlyList<RunMetrics> runs) => (long)Statistics.Median(runs.Select(r => (double)(r.Latency?.P99 ?? 0)));
}
