using KafkaChaos.Journal;
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

        foreach (var (start, end, name) in FaultWindows(cell.Faults))
        {
            var span = plot.Add.HorizontalSpan(start / 1000.0 - origin, end / 1000.0 - origin);
            span.FillStyle.Color = Colors.OrangeRed.WithAlpha(0.15);
            span.LegendText = name;
        }

        var highest = cell.Timeline.Count == 0 ? 1 : cell.Timeline.Max(t => Math.Max(t.Acked, t.Consumed));
        plot.Axes.SetLimitsY(0, Math.Max(1, highest) * 1.1);
        plot.Title(cell.Name);
        plot.Axes.Bottom.Label.Text = "seconds into the cell";
        plot.Axes.Left.Label.Text = "messages per second";
        plot.ShowLegend(Alignment.UpperRight);
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

    /// <summary>Each fault application's start and end (or the cell's end when it never healed).</summary>
    public static IReadOnlyList<(long StartMs, long EndMs, string Name)> FaultWindows(IReadOnlyList<FaultEvent> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var windows = new List<(long, long, string)>();
        var open = new List<FaultEvent>();
        foreach (var e in faults.OrderBy(f => f.TimestampMs))
        {
            if (e.Phase == FaultPhase.Start)
            {
                open.Add(e);
            }
            else if (e.Phase is FaultPhase.End or FaultPhase.NotApplied && open.FirstOrDefault(o => o.Fault == e.Fault && o.Target == e.Target) is { } started)
            {
                open.Remove(started);
                windows.Add((started.TimestampMs, Math.Max(e.TimestampMs, started.TimestampMs + 100), $"{started.Fault} {started.Target}"));
            }
        }

        var last = faults.Count > 0 ? faults.Max(f => f.TimestampMs) : 0;
        windows.AddRange(open.Select(o => (o.TimestampMs, Math.Max(last, o.TimestampMs + 100), $"{o.Fault} {o.Target}")));
        return windows;
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
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(Width, Height + (cells.Count > 3 ? 80 : 0), ImageFormat.Png);
    }

    private static string Shorten(string name)
    {
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        var label = bracket >= 0 ? name[(bracket + 1)..].TrimEnd(']') : name;
        return label.Length > 40 ? label[..39] + "…" : label;
    }
}
