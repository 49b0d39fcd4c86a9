using KafkaChaos.Ledger;
using ScottPlot;

namespace KafkaChaos.Reporting;

/// <summary>The report's charts as PNG images, drawn with ScottPlot (headless, no display needed).</summary>
public static class ReportCharts
{
    private const int Width = 1200;
    private const int Height = 320;

    /// <summary>Acknowledgements and consumption per second through one cell, with each fault's window shaded.</summary>
    public static byte[] Throughput(CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var plot = new Plot();
        var origin = cell.Timeline.Count > 0 ? cell.Timeline[0].UnixSecond : 0;
        var xs = cell.Timeline.Select(t => (double)(t.UnixSecond - origin)).ToArray();
        if (xs.Length > 0)
        {
            var acked = plot.Add.Scatter(xs, cell.Timeline.Select(t => (double)t.Acked).ToArray());
            acked.LegendText = "acked/s";
            var consumed = plot.Add.Scatter(xs, cell.Timeline.Select(t => (double)t.Consumed).ToArray());
            consumed.LegendText = "consumed/s";
            var failed = cell.Timeline.Select(t => (double)(t.Failed + t.Unknown)).ToArray();
            if (failed.Any(f => f > 0))
            {
                plot.Add.Scatter(xs, failed).LegendText = "failed+unknown/s";
            }
        }

        DrawFaults(plot, cell, origin, verified: false);
        var highest = cell.Timeline.Count == 0 ? 1 : cell.Timeline.Max(t => Math.Max(Math.Max(t.Acked, t.Consumed), t.Failed + t.Unknown));
        plot.Axes.SetLimitsY(0, Math.Max(1, highest) * 1.1);
        plot.Axes.SetLimitsX(0, Math.Max(1, xs.Length == 0 ? 1 : xs[^1]));
        plot.Title(cell.Name);
        plot.Axes.Bottom.Label.Text = "seconds into the cell";
        plot.Axes.Left.Label.Text = "messages per second";
        ShowLegendBelow(plot); // never over the lines
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>
    /// The chart that explains a loss: one lane per partition, time across, every message a mark at the
    /// time its outcome came, coloured by its fate (stored, lost, lost after a read, duplicated, and for
    /// sends without an acknowledged position: stored anyway or not), with fault windows and the moments
    /// each fault was verified (a new leader seen, for leader faults) on the same axis. Acknowledged
    /// messages a leader change lost sit in their partition's lane in the seconds before the fault.
    /// </summary>
    /// <returns>The PNG, or null when the cell has no fate data (results written before it existed).</returns>
    public static byte[]? Fates(CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Fates is not { Buckets.Count: > 0 } fates)
        {
            return null;
        }

        var origin = cell.Timeline.Count > 0 ? cell.Timeline[0].UnixSecond : fates.Buckets.Min(b => b.StartMs) / 1000;
        var lanes = fates.Buckets.Select(b => b.Partition).Distinct().OrderBy(p => p ?? int.MaxValue).ToList();
        var plot = new Plot();
        var styles = new (MessageFate Fate, string Label, Color Color, double Offset)[]
        {
            (MessageFate.Stored, "acked, stored", Colors.SeaGreen.WithAlpha(0.5), 0.3),
            (MessageFate.Duplicated, "acked, stored twice or more", Colors.Purple, 0.15),
            (MessageFate.Lost, "acked, lost", Colors.Red, 0),
            (MessageFate.LostAfterRead, "acked, lost after a consumer read it", Colors.DarkRed, -0.15),
            (MessageFate.UnackedStored, "failed/unknown, stored anyway", Colors.Orange, 0.15),
            (MessageFate.UnackedNotStored, "failed/unknown, not stored", Colors.Gray, -0.15),
        };
        // A mark's size says how many messages it stands for: 1 to 9, 10 to 99, 100 and more.
        static float Size(long count) => count >= 100 ? 13 : count >= 10 ? 9 : count > 0 ? 6 : 0;
        foreach (var (fate, label, color, offset) in styles)
        {
            var labelled = false;
            foreach (var size in new float[] { 13, 9, 6 })
            {
                var points = fates.Buckets
                    .Where(b => Size(b.Count(fate)) == size)
                    .Select(b => (X: (b.StartMs + (fates.BucketMs / 2.0)) / 1000.0 - origin, Y: -lanes.IndexOf(b.Partition) + offset))
                    .ToArray();
                if (points.Length == 0)
                {
                    continue;
                }

                var scatter = plot.Add.ScatterPoints(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
                scatter.MarkerSize = size;
                scatter.MarkerShape = MarkerShape.FilledCircle;
                scatter.Color = color;
                scatter.LegendText = labelled ? "" : label;
                labelled = true;
            }
        }

        var last = DrawFaults(plot, cell, origin, verified: true);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            lanes.Select((p, i) => new Tick(-i, p is { } partition ? $"partition {partition}" : "no position")).ToArray());
        plot.Axes.SetLimitsY(-lanes.Count + 0.4, 0.6);
        var end = Math.Max(fates.Buckets.Max(b => b.StartMs + fates.BucketMs), last) / 1000.0 - origin;
        plot.Axes.SetLimitsX(0, Math.Max(1, end));
        plot.Title("messages by partition and fate"
            + (fates.Partitions > FateTimelineBuilder.MaxLanes ? $" (first {FateTimelineBuilder.MaxLanes} of {fates.Partitions} partitions)" : ""));
        plot.Axes.Bottom.Label.Text = $"seconds into the cell, when the outcome came ({fates.BucketMs} ms per mark)";
        ShowLegendBelow(plot);
        return plot.GetImageBytes(Width, 160 + (45 * lanes.Count), ImageFormat.Png);
    }

    /// <summary>
    /// Lasting faults as shaded windows, instant ones (a client restart) as dashed lines, with one legend
    /// entry per fault and target; with <paramref name="verified"/>, a dotted line where each was verified.
    /// </summary>
    /// <returns>The last fault event's time (Unix ms), where an unhealed window ends.</returns>
    private static long DrawFaults(Plot plot, CellResult cell, long originSecond, bool verified)
    {
        var labelled = new HashSet<string>(StringComparer.Ordinal);
        var last = cell.Faults.Count > 0 ? cell.Faults.Max(f => f.TimestampMs) : 0;
        double X(long ms) => ms / 1000.0 - originSecond;
        foreach (var window in FaultWindow.From(cell.Faults))
        {
            var label = $"{window.Fault} {window.Target}";
            if (window.Instant)
            {
                var line = plot.Add.VerticalLine(X(window.StartMs));
                line.Color = Colors.OrangeRed;
                line.LinePattern = LinePattern.Dashed;
                line.LegendText = labelled.Add(label) ? label : "";
                continue;
            }

            var span = plot.Add.HorizontalSpan(X(window.StartMs), X(Math.Max(window.EndMs ?? last, window.StartMs + 100)));
            span.FillStyle.Color = Colors.OrangeRed.WithAlpha(0.15);
            span.LegendText = labelled.Add(label) ? label : "";
            if (verified && window.VerifiedMs is { } seen)
            {
                var line = plot.Add.VerticalLine(X(seen));
                line.Color = Colors.OrangeRed;
                line.LinePattern = LinePattern.Dotted;
                line.LegendText = labelled.Add("verified") ? "fault verified (for leader faults: the new leader seen)" : "";
            }
        }

        return last;
    }

    /// <summary>Produce-to-ack and end-to-end p50, p99 and p99.9 per cell, in milliseconds.</summary>
    public static byte[] Latency(IReadOnlyList<CellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var series = new (string Name, Func<Workload.LatencySummary, long> Pick)[] { ("p50", l => l.P50), ("p99", l => l.P99), ("p99.9", l => l.P999) };
        var kinds = new[] { "produce_to_ack", "end_to_end" };
        var bars = new List<Bar>();
        var palette = new ScottPlot.Palettes.Category10();
        var groups = series.Length * kinds.Length;
        for (var c = 0; c < cells.Count; c++)
        {
            for (var k = 0; k < kinds.Length; k++)
            {
                for (var s = 0; s < series.Length; s++)
                {
                    var latency = cells[c].LatencyMicros?.GetValueOrDefault(kinds[k]);
                    bars.Add(new Bar
                    {
                        Position = (c * (groups + 1)) + (k * series.Length) + s,
                        Value = latency is null ? 0 : series[s].Pick(latency) / 1000.0,
                        FillColor = palette.GetColor((k * series.Length) + s),
                    });
                }
            }
        }

        return GroupedBars("latency per cell (ms)", cells, bars, groups,
            kinds.SelectMany((k, ki) => series.Select((s, si) => ($"{k} {s.Name}", palette.GetColor((ki * series.Length) + si)))).ToArray());
    }

    /// <summary>Per cell, <c>lost</c> and every anomaly above 0 in some cell.</summary>
    public static byte[] Anomalies(IReadOnlyList<CellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var anomalies = Ledger.LedgerCountCatalog.Columns(cells.Select(c => c.Counts)).Where(c => c.IsAnomaly).Select(c => c.Name).ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        for (var c = 0; c < cells.Count; c++)
        {
            for (var a = 0; a < anomalies.Length; a++)
            {
                bars.Add(new Bar
                {
                    Position = (c * (anomalies.Length + 1)) + a,
                    Value = Ledger.LedgerCountCatalog.Read(cells[c].Counts, anomalies[a]) ?? 0,
                    FillColor = palette.GetColor(a),
                });
            }
        }

        return GroupedBars("lost and duplicated messages per cell", cells, bars, anomalies.Length,
            anomalies.Select((a, i) => (a, palette.GetColor(i))).ToArray());
    }

    private static byte[] GroupedBars(string title, IReadOnlyList<CellResult> cells, List<Bar> bars, int perGroup, (string Label, Color Color)[] legend)
    {
        var plot = new Plot();
        plot.Add.Bars(bars);
        var ticks = cells.Select((c, i) => new Tick((i * (perGroup + 1)) + ((perGroup - 1) / 2.0), Shorten(c.Name))).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.TickLabelStyle.Rotation = cells.Count > 3 ? 20 : 0;
        plot.Axes.Margins(bottom: 0);
        foreach (var (label, color) in legend)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = color });
        }

        plot.Title(title);
        ShowLegendBelow(plot);
        return plot.GetImageBytes(Width, Height + (cells.Count > 3 ? 80 : 0), ImageFormat.Png);
    }

    /// <summary>The legend in a row of its own under the plot: a legend inside covers bars and lines.</summary>
    private static void ShowLegendBelow(Plot plot)
    {
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
    }

    private static string Shorten(string name)
    {
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        var label = bracket >= 0 ? name[(bracket + 1)..].TrimEnd(']') : name;
        return label.Length > 40 ? label[..39] + "…" : label;
    }
}
