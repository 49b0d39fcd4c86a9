using System.Globalization;
using System.Net;
using System.Text;

namespace KafkaChaos.Reporting.Comparison;

/// <summary>compare.html: the markdown's layout (headline, what got worse, each cell side by side), with a trend chart per cell over three runs or more.</summary>
public static class ComparisonHtml
{
    public const string FileName = "compare.html";

    public static string Render(RunComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var title = $"{(comparison.Experiment.Length > 0 ? comparison.Experiment : "compare")}: {string.Join(" → ", comparison.Runs)}";
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>{{E(title)}}</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}
            td:first-child,th:first-child{text-align:left}.worse{color:#b00}.better{color:#070}
            img{width:100%;max-width:100%;display:block;margin:1em 0}code{font-size:.9em}
            </style></head>
            <body data-worse="{{(comparison.Worse ? "yes" : "no")}}">
            <h1>{{E(title)}}</h1>
            <p class="{{(comparison.Worse ? "worse" : "better")}}"><strong>{{E(ComparisonRows.Headline(comparison))}}</strong></p>

            """);
        var worse = comparison.Cells.Where(c => c.Regressions.Count > 0).ToList();
        if (worse.Count > 0)
        {
            html.Append("<h2>Got worse</h2>\n<ul>\n");
            foreach (var cell in worse)
            {
                foreach (var regression in cell.Regressions)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<li class=\"worse\"><code>{E(cell.Cell)}</code>: {E(regression)}</li>\n");
                }
            }

            html.Append("</ul>\n");
        }

        html.Append("<h2>Cells</h2>\n<p>A rate counts as changed only when the two 95% Wilson intervals do not overlap.</p>\n");
        foreach (var cell in comparison.Cells)
        {
            AppendCell(html, comparison, cell);
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void AppendCell(StringBuilder html, RunComparison comparison, CellComparison cell)
    {
        var runs = string.Concat(comparison.Runs.Select(r => $"<th>{E(r)}</th>"));
        html.Append(CultureInfo.InvariantCulture, $"<h3><code>{E(cell.Cell)}</code></h3>\n");
        if (cell.Differences.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<table><tr><th>setting</th>{runs}</tr>\n");
            foreach (var (key, values) in cell.Differences)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(key)}</td>{string.Concat(values.Select(v => $"<td>{E(v ?? "—")}</td>"))}</tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<table><tr><th>count</th>{runs}<th>change</th></tr>\n");
        foreach (var count in ComparisonRows.Shown(cell))
        {
            var values = string.Concat(Enumerable.Range(0, comparison.Runs.Count).Select(i => $"<td>{E(ComparisonRows.Value(cell, count, i))}</td>"));
            var css = count.Change is CountChange.NewAnomaly or CountChange.RateUp ? "worse" : count.Change == CountChange.RateDown ? "better" : "";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(count.Count)}</td>{values}<td class=\"{css}\">{E(ComparisonRows.Change(count.Change))}</td></tr>\n");
        }

        html.Append("</table>\n");
        if (cell.Expectations.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<table><tr><th>expectation</th>{runs}</tr>\n");
            foreach (var expectation in cell.Expectations)
            {
                var css = expectation.NewlyFailed ? " class=\"worse\"" : "";
                html.Append(CultureInfo.InvariantCulture, $"<tr{css}><td>{E(expectation.Expectation)}</td>{string.Concat(expectation.Met.Select(m => $"<td>{ComparisonRows.Met(m)}</td>"))}</tr>\n");
            }

            html.Append("</table>\n");
        }

        if (ComparisonCharts.Trend(comparison, cell) is { } png)
        {
            html.Append(CultureInfo.InvariantCulture, $"<figure><img class=\"chart\" alt=\"{E(cell.Cell)}: anomalies per run\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"></figure>\n");
        }
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
