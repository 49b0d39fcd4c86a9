using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// Latency at a share of the raw client's maximum sustained rate (<see cref="BenchCellResult.Sustained"/>): every alternation of both clients, and the
/// median p99 of each, produce-to-ack and end-to-end, which is what the target compares (one run's p99
/// moves with the machine).
/// </summary>
public sealed record PacedResult(double ShareOfMax, double Rate, IReadOnlyList<RunMetrics> Raw, IReadOnlyList<RunMetrics> Harness)
{
    public long RawP99 => MedianP99(Raw, r => r.ProduceToAck);

    public long HarnessP99 => MedianP99(Harness, r => r.ProduceToAck);

    public long RawEndToEndP99 => MedianP99(Raw, r => r.EndToEnd);

    public long HarnessEndToEndP99 => MedianP99(Harness, r => r.EndToEnd);

    /// <summary>The median of the runs' p99s of <paramref name="latency"/> (0 for a run without it).</summary>
    internal static long MedianP99(IReadOnlyList<RunMetrics> runs, Func<RunMetrics, LatencySummary?> latency) =>
        (long)Statistics.Median(runs.Select(r => (double)(latency(r)?.P99 ?? 0)));
}
