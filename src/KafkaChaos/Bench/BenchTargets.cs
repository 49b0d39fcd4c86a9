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
            if (cell.PeerProducers.TryGetValue(PeerTools.Name(PeerTool.VerifiableProducer), out var verifiable))
            {
                // The peer that also tracks every acknowledgement: the harness, which also verifies every message, is to be no slower.
                var rounds = BenchCellResult.RoundRatios(cell.HarnessProducer, verifiable, r => r.MessagesPerSecond);
                results.Add(Ratio(name, "harness producer throughput / verifiable-producer", 1.00, Statistics.Median(rounds), rounds));
            }

            foreach (var paced in cell.Paced)
            {
                foreach (var (what, latency) in PacedResult.Latencies)
                {
                    results.Add(P99(name, what, paced, latency));
                }
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

    /// <summary>
    /// A p99 point misses only when the whole interval of its per-round ratios lies above
    /// <see cref="BenchRunner.P99Limit"/>, and the point measured again says so too. On a machine where one
    /// run's p99 moves by tens of ms, a median ratio above the limit with an interval holding it is noise,
    /// and so is one run of a dozen points in which every round of one point landed above it.
    /// </summary>
    private static BenchTargetResult P99(string cell, string what, PacedResult paced, Func<RunMetrics, LatencySummary?> latency)
    {
        var (raw, harness) = (PacedResult.MedianP99(paced.Raw, latency), PacedResult.MedianP99(paced.Harness, latency));
        var rounds = BenchCellResult.RoundRatios(paced.Harness, paced.Raw, r => latency(r)?.P99);
        var interval = Statistics.IntervalOfMedian(rounds);
        var spread = "harness/raw p99 " + Spread(interval, rounds.Length, "0.00");
        string? note = null;
        var met = true;
        if (interval.Low > BenchRunner.P99Limit)
        {
            if (paced.Reproduction is { } again)
            {
                var (againRaw, againHarness) = (PacedResult.MedianP99(again.Raw, latency), PacedResult.MedianP99(again.Harness, latency));
                var againRounds = BenchCellResult.RoundRatios(again.Harness, again.Raw, r => latency(r)?.P99);
                var againInterval = Statistics.IntervalOfMedian(againRounds);
                met = againInterval.Low <= BenchRunner.P99Limit;
                spread += string.Create(CultureInfo.InvariantCulture, $"; measured again: raw {againRaw:N0} µs, harness {againHarness:N0} µs, ") +
                    Spread(againInterval, againRounds.Length, "0.00");
                note = met ? "every round above the limit, not reproduced" : "every round above the limit, reproduced";
            }
            else
            {
                met = false;
                note = "every round above the limit, not measured again";
            }
        }

        return new(cell, $"harness {what} p99 at {paced.ShareOfMax:P0} of max ({paced.Rate:N0}/s), median of {paced.Harness.Count}",
            $"interval of harness/raw p99 not wholly above {F(BenchRunner.P99Limit, "0.00")}, or not twice (raw × {F(BenchRunner.P99Limit, "0.00")} = {raw * BenchRunner.P99Limit:N0} µs)",
            $"{harness:N0} µs", met, spread, interval.Contains(BenchRunner.P99Limit), note);
    }

    private static string Spread(MedianInterval interval, int rounds, string format) =>
        $"per round {F(interval.Low, format)} to {F(interval.High, format)} ({F(interval.Confidence * 100, "0.#")}% interval of the median of {rounds})";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>
/// One target: what, the limit, what was measured, whether it was met, and for the ratio targets how
/// the rounds spread (<see cref="Spread"/>) and whether that spread holds the limit
/// (<see cref="WithinNoise"/>: the verdict could have gone either way on this machine); for a p99 point
/// whose rounds all lay above the limit, whether measuring it again reproduced that (<see cref="Note"/>).
/// </summary>
public sealed record BenchTargetResult(string Cell, string Target, string Limit, string Measured, bool Met, string? Spread = null, bool WithinNoise = false,
    string? Note = null)
{
    /// <summary>met, MISSED, and either with ", within noise" where the rounds' interval holds the limit, and the note where there is one.</summary>
    public string Verdict => (Met ? "met" : "MISSED") + (WithinNoise ? ", within noise" : "") + (Note is null ? "" : $" ({Note})");
}
