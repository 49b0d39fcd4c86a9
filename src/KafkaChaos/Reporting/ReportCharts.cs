using ScottPlot;

namespace KafkaChaos.Reporting;

/// <summary>The report's charts as PNG images, drawn with ScottPlot (headless, no display needed).</summary>
public static class ReportCharts
{
    private const int Width = 900;
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

        // Lasting faults are shaded windows, instant ones (a client restart) lines; one legend entry per fault and target.
        var labelled = new HashSet<string>(StringComparer.Ordinal);
        var last = cell.Faults.Count > 0 ? cell.Faults.Max(f => f.TimestampMs) : 0;
        foreach (var window in FaultWindow.From(cell.Faults))
        {
            var label = $"{window.Fault} {window.Target}";
            var start = window.StartMs / 1000.0 - origin;
            if (window.Instant)
            {
                var line = plot.Add.VerticalLine(start);
                line.Color = Colors.OrangeRed;
                line.LinePattern = LinePattern.Dashed;
                line.LegendText = labelled.Add(label) ? label : "";
            }
            else
            {
                var span = plot.Add.HorizontalSpan(start, Math.Max(window.EndMs ?? last, window.StartMs + 100) / 1000.0 - origin);
                span.FillStyle.Color = Colors.OrangeRed.WithAlpha(0.15);
                span.LegendText = labelled.Add(label) ? label : "";
            }
        }

        var highest = cell.Timeline.Count == 0 ? 1 : cell.Timeline.Max(t => Math.Max(Math.Max(t.Acked, t.Consumed), t.Failed + t.Unknown));
        plot.Axes.SetLimitsY(0, Math.Max(1, highest) * 1.1);
        plot.Axes.SetLimitsX(0, Math.Max(1, xs.Length == 0 ? 1 : xs[^1]));
        plot.Title(cell.Name);
        plot.Axes.Bottom.Label.Text = "seconds into the cell";
        plot.Axes.Left.Label.Text = "messages per second";
        ShowLegendBelow(plot); // never over the lines
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
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
