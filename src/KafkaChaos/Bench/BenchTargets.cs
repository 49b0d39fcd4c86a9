using System.Globalization;
using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// The performance targets the harness is held to, checked against a bench run: throughput ratios,
/// tail latency and extra allocation per message. A missed target is reported with the measured
/// figure, never rounded into a pass.
/// </summary>
/// <remarks>
/// <para>
/// The targets are about the harness's cost in steady state, so cells with a fault are reported but not
/// held to them: there the timing of a leader election or a broker restart, not the client, sets the
/// throughput and the tail.
/// </para>
/// <para>
/// Each ratio target also carries the spread of its per-round ratios (a raw and a harness run next to
/// each other in time) as a confidence interval for their median. Where that interval holds the
/// limit, the verdict, met or missed, is within the noise of the machine and says less than its word.
/// </para>
/// </remarks>
public static class BenchTargets
{
    public static IReadOnlyList<BenchTargetResult> Check(IEnumerable<BenchCellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var results = new List<BenchTargetResult>();
        foreach (var cell in cells.Where(c => c.Cell.Fault is null))
        {
            var name = cell.Cell.Name;
            var producerLimit = cell.Cell.MessageSize >= 1024 ? 0.95 : 0.90;
            results.Add(Ratio(name, "harness producer throughput / raw", producerLimit, cell.ProducerRatio, cell.ProducerRounds));
            results.Add(Ratio(name, "harness consumer throughput / raw", 0.90, cell.ConsumerRatio, cell.ConsumerRounds));
            foreach (var paced in cell.Paced)
            {
                results.Add(P99(name, "produce-to-ack", paced, r => r.ProduceToAck));
                results.Add(P99(name, "end-to-end", paced, r => r.EndToEnd));
            }

            var extra = Statistics.Median(cell.HarnessProducer.Select(r => r.AllocatedBytesPerMessage)) - Statistics.Median(cell.RawProducer.Select(r => r.AllocatedBytesPerMessage));
            results.Add(new(name, "extra allocated bytes per message (producer)", "≤ 64 B", $"{extra:0.0} B", extra <= 64));
        }

        return results;
    }

    private static BenchTargetResult Ratio(string cell, string target, double limit, double median, IReadOnlyList<double> rounds)
    {
        var interval = Statistics.IntervalOfMedian(rounds);
        return new(cell, target, $"≥ {F(limit, "0.00")}", F(median, "0.000"), median >= limit, Spread(interval, rounds.Count, "0.000"), interval.Contains(limit));
    }

    private static BenchTargetResult P99(string cell, string what, PacedResult paced, Func<RunMetrics, LatencySummary?> latency)
    {
        var (raw, harness) = (PacedResult.MedianP99(paced.Raw, latency), PacedResult.MedianP99(paced.Harness, latency));
        var rounds = BenchCellResult.RoundRatios(paced.Harness, paced.Raw, r => latency(r)?.P99);
        var interval = Statistics.IntervalOfMedian(rounds);
        return new(cell, $"harness {what} p99 at {paced.ShareOfMax:P0} of max ({paced.Rate:N0}/s), median of {paced.Harness.Count}",
            $"≤ raw p99 × 1.05 ({raw * 1.05:N0} µs)", $"{harness:N0} µs", harness <= raw * 1.05,
            "harness/raw p99 " + Spread(interval, rounds.Length, "0.00"), interval.Contains(1.05));
    }

    private static string Spread(MedianInterval interval, int rounds, string format) =>
        $"per round {F(interval.Low, format)} to {F(interval.High, format)} ({F(interval.Confidence * 100, "0.#")}% interval of the median of {rounds})";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>
/// One target: what, the limit, what was measured, whether it was met, and for the ratio targets how
/// the rounds spread (<see cref="Spread"/>) and whether that spread holds the limit
/// (<see cref="WithinNoise"/>: the verdict could have gone either way on this machine).
/// </summary>
public sealed record BenchTargetResult(string Cell, string Target, string Limit, string Measured, bool Met, string? Spread = null, bool WithinNoise = false)
{
    /// <summary>met, MISSED, and either with ", within noise" where the rounds' interval holds the limit.</summary>
    public string Verdict => (Met ? "met" : "MISSED") + (WithinNoise ? ", within noise" : "");
}
