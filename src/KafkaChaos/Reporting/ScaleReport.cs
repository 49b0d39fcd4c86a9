using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KafkaChaos.Bench;
using ScottPlot;

namespace KafkaChaos.Reporting;

/// <summary>scale.json, scale.md and scale.html (one growth chart per axis) of a <c>kafka-chaos bench-scale</c> run.</summary>
public static class ScaleReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write(string directory, MachineFacts machine, ScalePoint baseline, IReadOnlyList<ScaleResult> results)
    {
        ArgumentNullException.ThrowIfNull(machine);
        Directory.CreateDirectory(directory);
        var growth = ScaleGrowth.Along(baseline, results);
        File.WriteAllText(Path.Combine(directory, "scale.json"),
            JsonSerializer.Serialize(new { schema_version = 1, machine, baseline, points = results, growth = growth.Select(g => new { g.Axis, g.Figure, g.Exponent, g.Class }) }, Options) + "\n");
        var markdown = Markdown(machine, results, growth);
        File.WriteAllText(Path.Combine(directory, "scale.md"), markdown);
        File.WriteAllText(Path.Combine(directory, "scale.html"), Html(baseline, results, markdown));
    }

    public static string Markdown(MachineFacts machine, IReadOnlyList<ScaleResult> results, IReadOnlyList<ScaleGrowth> growth)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(growth);
        var text = new StringBuilder("# kafka-chaos bench-scale\n\n");
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured on {machine.Describe()}.").AppendLine();
        text.AppendLine("| point | raw s | raw CPU µs/msg | raw peak MB | harness s | harness CPU µs/msg | harness peak MB | journal B/msg | final read s (µs/msg CPU) | verify s (peak MB) | exact |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Point.Name} | {r.Raw.Seconds:0.0} | {r.Raw.CpuMicrosPerMessage:0.00} | {r.Raw.PeakWorkingSetBytes / 1e6:0} | {r.Harness.Seconds:0.0} | {r.Harness.CpuMicrosPerMessage:0.00} | {r.Harness.PeakWorkingSetBytes / 1e6:0} | {r.JournalBytesPerMessage:0.0} | {r.FinalRead.Seconds:0.0} ({r.FinalRead.CpuMicrosPerMessage:0.00}) | {r.Verify.Seconds:0.00} ({r.Verify.PeakWorkingSetBytes / 1e6:0}) | {(r.Exact ? "yes" : "**no**")} |");
        }

        text.AppendLine().AppendLine(
            "How each total grows along each axis, the others at the baseline: b in total ∝ axis^b, fitted on log-log. Along partitions and producers the messages " +
            "are fixed, so flat is a constant cost per message; along messages, linear is.").AppendLine();
        var figures = growth.Select(g => g.Figure).Distinct().ToList();
        var axes = growth.Select(g => g.Axis).Distinct().ToList();
        text.AppendLine("| figure | " + string.Join(" | ", axes) + " |").AppendLine("|---|" + string.Concat(axes.Select(_ => "---|")));
        foreach (var figure in figures)
        {
            text.AppendLine($"| {figure} | " + string.Join(" | ", axes.Select(a => growth.FirstOrDefault(g => g.Axis == a && g.Figure == figure)?.Describe() ?? "")) + " |");
        }

        var findings = growth.Where(g => g.Class == "faster than linear").ToList();
        text.AppendLine().AppendLine(findings.Count == 0
            ? "Nothing grows faster than linear."
            : $"Faster than linear: {string.Join("; ", findings.Select(f => $"{f.Figure} along {f.Axis} ({f.Describe()})"))}.");
        return text.ToString();
    }

    private static string Html(ScalePoint baseline, IReadOnlyList<ScaleResult> results, string markdown)
    {
        var images = new StringBuilder();
        var axes = ScalePoint.Axes(baseline);
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (name, value, onAxis) in axes)
        {
            var points = results.Where(r => onAxis(r.Point)).OrderBy(r => value(r.Point)).ToList();
            if (points.Count < 2)
            {
                continue;
            }

            // Each total relative to its value at the axis's first point, on log scales: a line of slope 1 is linear growth.
            var plot = new Plot();
            var xs = points.Select(r => Math.Log10(value(r.Point))).ToArray();
            var figures = points[0].Totals().Select(t => t.Name).ToList();
            for (var i = 0; i < figures.Count; i++)
            {
                var first = points[0].Totals()[i].Total;
                var ys = points.Select(r => Math.Log10(Math.Max(r.Totals()[i].Total, 1e-9) / Math.Max(first, 1e-9))).ToArray();
                var line = plot.Add.Scatter(xs, ys, palette.GetColor(i));
                line.LegendText = figures[i];
            }

            var linear = plot.Add.Scatter(new[] { xs[0], xs[^1] }, new[] { 0.0, xs[^1] - xs[0] }, Colors.Gray);
            linear.LinePattern = LinePattern.Dashed;
            linear.LegendText = "linear";
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                points.Select(r => new Tick(Math.Log10(value(r.Point)), value(r.Point).ToString("N0", CultureInfo.InvariantCulture))).ToArray());
            plot.Axes.Left.Label.Text = "log10 (total / first)";
            plot.ShowLegend(Alignment.UpperLeft);
            plot.Title($"growth along {name}");
            images.Append(CultureInfo.InvariantCulture,
                $"<img alt=\"growth along {name}\" src=\"data:image/png;base64,{Convert.ToBase64String(plot.GetImageBytes(900, 380, ImageFormat.Png))}\">\n");
        }

        return $$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>kafka-chaos bench-scale</title>
            <style>body{font-family:system-ui,sans-serif;margin:2em}img{max-width:100%}pre{font-size:.85em}</style></head>
            <body><h1>kafka-chaos bench-scale</h1>
            {{images}}<pre>{{WebUtility.HtmlEncode(markdown)}}</pre></body></html>
            """;
    }
}
