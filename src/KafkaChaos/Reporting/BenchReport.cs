using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KafkaChaos.Bench;
using KafkaChaos.Workload;
using ScottPlot;

namespace KafkaChaos.Reporting;

/// <summary>bench.json, bench.md and a self-contained bench.html with the throughput and latency charts.</summary>
public static class BenchReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write(string directory, string kafkaVersion, BenchPlan plan, IReadOnlyList<BenchCellResult> cells, IReadOnlyList<BenchTargetResult> targets,
        FinalReadCost? finalRead = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Directory.CreateDirectory(directory);
        var runs = new { plan.Source, plan.Brokers, plan.Alternations, run_duration_s = plan.RunDuration.TotalSeconds, plan.ThroughputMessages, paced_duration_s = plan.PacedDuration.TotalSeconds, plan.PacedShares, plan.Seed, plan.Peers };
        var machine = MachineFacts.Current(kafkaVersion);
        File.WriteAllText(Path.Combine(directory, "bench.json"),
            JsonSerializer.Serialize(new { schema_version = 4, kafka_version = kafkaVersion, machine, plan = runs, cells, targets, final_read = finalRead }, Options) + "\n");
        File.WriteAllText(Path.Combine(directory, "bench.md"), Markdown(kafkaVersion, cells, targets) + (finalRead is null ? "" : FinalReadBench.Markdown(finalRead)) +
            $"\nMeasured on {machine.Describe()}.\n");
        File.WriteAllText(Path.Combine(directory, "bench.html"), Html(kafkaVersion, cells, targets));
    }

    public static string Markdown(string kafkaVersion, IReadOnlyList<BenchCellResult> cells, IReadOnlyList<BenchTargetResult> targets)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# kafka-chaos bench (Kafka {kafkaVersion})").AppendLine();
        text.AppendLine("| cell | producer msgs/s raw | harness | ratio | MB/s payload (wire) raw | harness | CPU µs/msg raw | harness | alloc B/msg raw | harness | consumer msgs/s raw | harness | ratio |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in cells)
        {
            RunMetrics M(IReadOnlyList<RunMetrics> runs) => runs.OrderBy(r => r.MessagesPerSecond).ElementAt(runs.Count / 2);
            var (rp, hp, rc, hc) = (M(c.RawProducer), M(c.HarnessProducer), M(c.RawConsumer), M(c.HarnessConsumer));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {c.Cell.Name} | {rp.MessagesPerSecond:N0} | {hp.MessagesPerSecond:N0} | {c.ProducerRatio:0.000} | {rp.PayloadMegabytesPerSecond:0.0} ({rp.WireMegabytesPerSecond:0.0}) | {hp.PayloadMegabytesPerSecond:0.0} ({hp.WireMegabytesPerSecond:0.0}) | {rp.CpuMicrosPerMessage:0.0} | {hp.CpuMicrosPerMessage:0.0} | {rp.AllocatedBytesPerMessage:0} | {hp.AllocatedBytesPerMessage:0} | {rc.MessagesPerSecond:N0} | {hc.MessagesPerSecond:N0} | {c.ConsumerRatio:0.000} |");
        }

        text.AppendLine().AppendLine(
            "Maximum sustained rate, which the latency runs take their shares of: the raw producer unthrottled with its consumer reading alongside, messages over the time until the consumer had read them all (median, then every run); the raw producer alone for comparison:").AppendLine();
        foreach (var c in cells)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- {c.Cell.Name}: {c.SustainedRate:N0}/s ({string.Join(", ", c.Sustained.Select(r => r.MessagesPerSecond.ToString("N0", CultureInfo.InvariantCulture)))}); alone {Statistics.Median(c.RawProducer.Select(r => r.MessagesPerSecond)):N0}/s");
        }

        PeersTable(text, cells);
        LatencyTable(text, cells, "Produce-to-ack", r => r.ProduceToAck);
        LatencyTable(text, cells, "End-to-end (to the record read by the consumer running alongside)", r => r.EndToEnd);
        var partial = cells.SelectMany(c => c.Paced.SelectMany(p => p.Raw.Concat(p.Harness)).Concat(c.RawConsumer).Concat(c.HarnessConsumer).Concat(c.Sustained)
            .Where(r => r.ReadToEnd == false).Select(r => (c.Cell.Name, r))).ToList();
        if (partial.Count > 0)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture,
                $"{partial.Count} consumer(s) stopped before the end offsets, when nothing more arrived (under a fault, what was truncated): {string.Join("; ", partial.Select(p => $"{p.Name} {p.r.Mode} read {p.r.Messages:N0}"))}");
        }

        if (cells.Any(c => c.Cell.Fault is not null))
        {
            text.AppendLine().AppendLine("Runs under a fault (not held to the targets): what each timed run met, and its failed deliveries:").AppendLine();
            text.AppendLine("| cell | run | client | msgs/s | failed | fault |").AppendLine("|---|---|---|---:|---:|---|");
            foreach (var c in cells.Where(c => c.Cell.Fault is not null))
            {
                var runs = c.RawProducer.Concat(c.HarnessProducer).Select(r => ("produce", r))
                    .Concat(c.Paced.SelectMany(p => p.Raw.Concat(p.Harness).Select(r => (string.Create(CultureInfo.InvariantCulture, $"paced {p.ShareOfMax:P0}"), r))))
                    .Concat(c.RawConsumer.Concat(c.HarnessConsumer).Select(r => ("consume", r)));
                foreach (var (run, r) in runs)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"| {c.Cell.Name} | {run} | {r.Mode} | {r.MessagesPerSecond:N0} | {r.FailedDeliveries:N0} | {r.Fault} |");
                }
            }
        }

        text.AppendLine().AppendLine("Garbage collections over every timed run of each client (gen0/gen1/gen2, and the time they paused the process), and the peak working set:").AppendLine();
        foreach (var c in cells)
        {
            var runs = c.Paced.SelectMany(p => p.Raw.Concat(p.Harness)).Concat(c.RawProducer).Concat(c.HarnessProducer).Concat(c.RawConsumer).Concat(c.HarnessConsumer).ToList();
            string Gc(string mode)
            {
                var of = runs.Where(r => r.Mode == mode).ToList();
                return string.Create(CultureInfo.InvariantCulture,
                    $"{mode} {of.Sum(r => r.Gen0)}/{of.Sum(r => r.Gen1)}/{of.Sum(r => r.Gen2)}, paused {of.Sum(r => r.GcPauseMilliseconds):N0} ms");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"- {c.Cell.Name}: {Gc("raw")}; {Gc("harness")}; peak working set so far {c.PeakWorkingSetBytes / 1e6:0} MB");
        }

        text.AppendLine().AppendLine("## Targets").AppendLine().AppendLine(
            "Ratios are medians over the alternation rounds. The spread is a confidence interval for that median from the per-round ratios; " +
            "where it holds the limit, the verdict is within the noise of this machine (\"within noise\").").AppendLine();
        text.AppendLine("| cell | target | limit | measured | spread | |").AppendLine("|---|---|---|---|---|---|");
        foreach (var t in targets)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {t.Cell} | {t.Target} | {t.Limit} | {t.Measured} | {t.Spread} | {(t.Met ? t.Verdict : $"**{t.Verdict}**")} |");
        }

        return text.ToString();
    }

    /// <summary>
    /// Each peer beside the harness: its median rate, the harness/peer ratio with its interval, its CPU per
    /// message; and the producer perf test's produce-to-ack p99 at each share.
    /// </summary>
    private static void PeersTable(StringBuilder text, IReadOnlyList<BenchCellResult> cells)
    {
        if (cells.All(c => c.PeerProducers.Count == 0 && c.PeerConsumers.Count == 0))
        {
            return;
        }

        text.AppendLine().AppendLine(
            "Kafka's own clients, alternated with the raw client and the harness in the same rounds (docs/bench.md, \"Peers\"): median msgs/s, the per-round harness/peer ratio " +
            "(median, and the interval of that median), and the container's CPU per message, JVM start included:").AppendLine();
        text.AppendLine("| cell | side | peer | msgs/s | harness/peer | spread | CPU µs/msg |").AppendLine("|---|---|---|---:|---:|---|---:|");
        foreach (var c in cells)
        {
            foreach (var (side, harness, peers) in new[] { ("producer", c.HarnessProducer, c.PeerProducers), ("consumer", c.HarnessConsumer, c.PeerConsumers) })
            {
                foreach (var (peer, runs) in peers)
                {
                    var rounds = BenchCellResult.RoundRatios(harness, runs, r => r.MessagesPerSecond);
                    var interval = Statistics.IntervalOfMedian(rounds);
                    text.AppendLine(CultureInfo.InvariantCulture,
                        $"| {c.Cell.Name} | {side} | {peer} | {Statistics.Median(runs.Select(r => r.MessagesPerSecond)):N0} | {Statistics.Median(rounds):0.000} | {interval.Low:0.000} to {interval.High:0.000} ({interval.Confidence:P0}) | {Statistics.Median(runs.Select(r => r.CpuMicrosPerMessage)):0.0} |");
                }
            }
        }

        text.AppendLine().AppendLine("Produce-to-ack p99 at each share, harness against the producer perf test paced at the same rate (its latency runs from the actual send, in whole ms):").AppendLine();
        text.AppendLine("| cell | share of max | harness p99 µs | producer-perf-test p99 µs | harness/peer | spread |").AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var c in cells)
        {
            foreach (var p in c.Paced.Where(p => p.PerfTest.Count > 0))
            {
                var rounds = BenchCellResult.RoundRatios(p.Harness, p.PerfTest, r => r.ProduceToAck?.P99);
                var interval = Statistics.IntervalOfMedian(rounds);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {c.Cell.Name} | {p.ShareOfMax:P0} | {p.HarnessP99:N0} | {PacedResult.MedianP99(p.PerfTest, r => r.ProduceToAck):N0} | {Statistics.Median(rounds):0.00} | {interval.Low:0.00} to {interval.High:0.00} ({interval.Confidence:P0}) |");
            }
        }
    }

    /// <summary>p50 / p90 / p99 / p99.9 / p99.99 / max of the run with the median p99, then the p99 of every run, for each share of the max rate.</summary>
    private static void LatencyTable(StringBuilder text, IReadOnlyList<BenchCellResult> cells, string what, Func<RunMetrics, LatencySummary?> latency)
    {
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture,
            $"{what} latency from the intended send time, µs: p50 / p90 / p99 / p99.9 / p99.99 / max of the run with the median p99, then the p99 of every run:").AppendLine();
        text.AppendLine("| cell | share of max | rate | raw | harness | raw p99s | harness p99s |").AppendLine("|---|---:|---:|---|---|---|---|");
        foreach (var c in cells)
        {
            foreach (var p in c.Paced)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {c.Cell.Name} | {p.ShareOfMax:P0} | {p.Rate:N0}/s | {Percentiles(MedianP99Run(p.Raw, latency))} | {Percentiles(MedianP99Run(p.Harness, latency))} | {P99s(p.Raw, latency)} | {P99s(p.Harness, latency)} |");
            }
        }
    }

    private static LatencySummary? MedianP99Run(IReadOnlyList<RunMetrics> runs, Func<RunMetrics, LatencySummary?> latency) =>
        runs.Select(latency).OrderBy(l => l?.P99 ?? 0).ElementAt(runs.Count / 2);

    private static string P99s(IReadOnlyList<RunMetrics> runs, Func<RunMetrics, LatencySummary?> latency) =>
        string.Join(", ", runs.Select(r => (latency(r)?.P99 ?? 0).ToString("N0", CultureInfo.InvariantCulture)));

    private static string Percentiles(LatencySummary? latency) => latency is { } l
        ? string.Create(CultureInfo.InvariantCulture, $"{l.P50:N0} / {l.P90:N0} / {l.P99:N0} / {l.P999:N0} / {l.P9999:N0} / {l.Max:N0}")
        : "";

    private static string Html(string kafkaVersion, IReadOnlyList<BenchCellResult> cells, IReadOnlyList<BenchTargetResult> targets)
    {
        var throughput = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        // Per cell: harness/raw for producer and consumer, then harness/peer for each peer that ran.
        var series = new List<(string Label, Func<BenchCellResult, double?> Ratio)>
        {
            ("producer harness/raw", c => c.ProducerRatio),
            ("consumer harness/raw", c => c.ConsumerRatio),
        };
        foreach (var peer in cells.SelectMany(c => c.PeerProducers.Keys).Distinct())
        {
            series.Add(($"producer harness/{peer}", c => c.PeerProducers.TryGetValue(peer, out var runs) ? Statistics.Median(BenchCellResult.RoundRatios(c.HarnessProducer, runs, r => r.MessagesPerSecond)) : null));
        }

        foreach (var peer in cells.SelectMany(c => c.PeerConsumers.Keys).Distinct())
        {
            series.Add(($"consumer harness/{peer}", c => c.PeerConsumers.TryGetValue(peer, out var runs) ? Statistics.Median(BenchCellResult.RoundRatios(c.HarnessConsumer, runs, r => r.MessagesPerSecond)) : null));
        }

        var stride = series.Count + 1;
        for (var i = 0; i < cells.Count; i++)
        {
            for (var j = 0; j < series.Count; j++)
            {
                if (series[j].Ratio(cells[i]) is { } ratio)
                {
                    bars.Add(new Bar { Position = (i * stride) + j, Value = ratio, FillColor = palette.GetColor(j) });
                }
            }
        }

        throughput.Add.Bars(bars);
        throughput.Add.HorizontalLine(0.95).LinePattern = LinePattern.Dashed;
        throughput.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(cells.Select((c, i) => new Tick((i * stride) + ((series.Count - 1) / 2.0), c.Cell.Name)).ToArray());
        for (var j = 0; j < series.Count; j++)
        {
            throughput.Legend.ManualItems.Add(new LegendItem { LabelText = series[j].Label, FillColor = palette.GetColor(j) });
        }

        throughput.ShowLegend(Alignment.LowerRight);
        throughput.Title("throughput ratio, harness / raw and harness / each peer (median of the per-round ratios)");

        var produceToAck = LatencyChart(cells, "produce-to-ack", p => (p.RawP99, p.HarnessP99));
        var endToEnd = LatencyChart(cells, "end-to-end", p => (p.RawEndToEndP99, p.HarnessEndToEndP99));

        var markdown = WebUtility.HtmlEncode(Markdown(kafkaVersion, cells, targets));
        return $$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>kafka-chaos bench</title>
            <style>body{font-family:system-ui,sans-serif;margin:2em}img{max-width:100%}pre{font-size:.85em}</style></head>
            <body><h1>kafka-chaos bench (Kafka {{WebUtility.HtmlEncode(kafkaVersion)}})</h1>
            <img alt="throughput ratio" src="data:image/png;base64,{{Convert.ToBase64String(throughput.GetImageBytes(900, 320, ImageFormat.Png))}}">
            <img alt="produce-to-ack p99" src="data:image/png;base64,{{Convert.ToBase64String(produceToAck.GetImageBytes(900, 320, ImageFormat.Png))}}">
            <img alt="end-to-end p99" src="data:image/png;base64,{{Convert.ToBase64String(endToEnd.GetImageBytes(900, 320, ImageFormat.Png))}}">
            <pre>{{markdown}}</pre></body></html>
            """;
    }

    private static Plot LatencyChart(IReadOnlyList<BenchCellResult> cells, string what, Func<PacedResult, (long Raw, long Harness)> p99s)
    {
        var palette = new ScottPlot.Palettes.Category10();
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        var position = 0;
        foreach (var c in cells)
        {
            foreach (var p in c.Paced)
            {
                var (raw, harness) = p99s(p);
                ticks.Add(new Tick(position + 0.5, string.Create(CultureInfo.InvariantCulture, $"{p.ShareOfMax:P0}")));
                bars.Add(new Bar { Position = position++, Value = raw / 1000.0, FillColor = palette.GetColor(0) });
                bars.Add(new Bar { Position = position++, Value = harness / 1000.0, FillColor = palette.GetColor(1) });
                position++;
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "raw p99", FillColor = palette.GetColor(0) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "harness p99", FillColor = palette.GetColor(1) });
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title($"{what} p99 (ms, median of alternations) at each share of the max rate, cell by cell");
        return plot;
    }
}
