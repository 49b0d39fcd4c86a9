using System.Globalization;

namespace KafkaChaos.Bench;

/// <summary>
/// The performance targets the harness is held to, checked against a bench run: throughput ratios,
/// tail latency and extra allocation per message. A missed target is reported with the measured
/// figure, never rounded into a pass.
/// </summary>
/// <remarks>
/// The targets are about the harness's cost in steady state, so cells with a fault are reported but not
/// held to them: there the timing of a leader election or a broker restart, not the client, sets the
/// throughput and the tail.
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
            results.Add(new(name, "harness producer throughput / raw", $"≥ {producerLimit:0.00}", F(cell.ProducerRatio, "0.000"), cell.ProducerRatio >= producerLimit));
            results.Add(new(name, "harness consumer throughput / raw", "≥ 0.90", F(cell.ConsumerRatio, "0.000"), cell.ConsumerRatio >= 0.90));
            foreach (var paced in cell.Paced)
            {
                results.Add(P99(name, "produce-to-ack", paced, paced.RawP99, paced.HarnessP99));
                results.Add(P99(name, "end-to-end", paced, paced.RawEndToEndP99, paced.HarnessEndToEndP99));
            }

            var extra = Statistics.Median(cell.HarnessProducer.Select(r => r.AllocatedBytesPerMessage)) - Statistics.Median(cell.RawProducer.Select(r => r.AllocatedBytesPerMessage));
            results.Add(new(name, "extra allocated bytes per message (producer)", "≤ 64 B", $"{extra:0.0} B", extra <= 64));
        }

        return results;
    }

    private static BenchTargetResult P99(string cell, string latency, PacedResult paced, long raw, long harness) =>
        new(cell, $"harness {latency} p99 at {paced.ShareOfMax:P0} of max ({paced.Rate:N0}/s), median of {paced.Harness.Count}",
            $"≤ raw p99 × 1.05 ({raw * 1.05:N0} µs)", $"{harness:N0} µs", harness <= raw * 1.05);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>One target: what, the limit, what was measured, and whether it was met.</summary>
public sealed record BenchTargetResult(string Cell, string Target, string Limit, string Measured, bool Met);
