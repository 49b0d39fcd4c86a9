using ScottPlot;

namespace KafkaChaos.Reporting.Comparison;

/// <summary>The trend of one cell over three runs or more: each anomaly's rate per run, with its Wilson interval as an error bar.</summary>
internal static class ComparisonCharts
{
    private const int Width = 1200;
    private const int Height = 300;

    /// <summary>Null when fewer than three runs have the cell, or no anomaly was above 0 in any.</summary>
    public static byte[]? Trend(RunComparison comparison, CellComparison cell)
    {
        var runs = Enumerable.Range(0, comparison.Runs.Count).Where(i => cell.Judged[i] > 0).ToList();
        var seen = cell.Counts.Where(c => c.IsAnomaly && c.Runs.Any(r => r?.Seen > 0)).ToList();
        if (runs.Count < 3 || seen.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var s = 0; s < seen.Count; s++)
        {
            var observed = runs.Where(i => seen[s].Runs[i] is { Runs: > 0 }).ToList();
            double[] xs = [.. observed.Select(i => (double)i)];
            double[] rates = [.. observed.Select(i => 100.0 * seen[s].Runs[i]!.Seen / seen[s].Runs[i]!.Runs)];
            var line = plot.Add.Scatter(xs, rates, palette.GetColor(s));
            line.LegendText = seen[s].Count;
            var bars = plot.Add.ErrorBar(xs, rates, [.. observed.Select(i => 0.0)]);
            bars.YErrorNegative = [.. observed.Select((i, k) => rates[k] - (100 * seen[s].Runs[i]!.Interval.Low))];
            bars.YErrorPositive = [.. observed.Select((i, k) => (100 * seen[s].Runs[i]!.Interval.High) - rates[k])];
            bars.Color = palette.GetColor(s);
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. runs.Select(i => new Tick(i, comparison.Runs[i]))]);
        plot.Axes.SetLimitsY(-5, 105);
        plot.YLabel("% of repetitions seen in");
        plot.Title($"{cell.Cell}: anomalies per run");
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
