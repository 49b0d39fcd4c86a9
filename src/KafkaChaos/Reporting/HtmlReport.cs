using System.Globalization;
using System.Net;
using System.Text;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;

namespace KafkaChaos.Reporting;

/// <summary>
/// report.html: one self-contained file (charts embedded as PNG data, no scripts or styles fetched),
/// readable offline: the verdict table, charts, each cell's fault timeline and examples.
/// </summary>
/// <remarks>
/// A one-line inline script counts the charts the browser actually decoded into
/// <c>data-charts-loaded</c> on the body, and whether the page is wider than the window into
/// <c>data-overflow-x</c>, so a headless browser test can tell a report with working charts and a
/// fitting layout from one with broken images or an expectations column off-screen.
/// </remarks>
public static class HtmlReport
{
    public static string Render(ResultsDocument results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var ran = results.Cells.Where(c => c.Status != RunStatus.Unsupported).ToList();
        var charts = Charts(ran);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>{{E(results.Experiment ?? "kafka-chaos")}}: {{E(results.RunId)}}</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}
            td:first-child,th:first-child{text-align:left}.pass{color:#070}.fail,.invalid,.failed{color:#b00}.unsupported,.no-expectations{color:#777}
            img{max-width:100%;display:block;margin:1em 0}img.chart{width:100%}ul.findings li{margin:.2em 0}details{margin:.5em 0}code{font-size:.9em}
            table.verdicts{font-size:.8em}table.verdicts td,table.verdicts th{padding:.2em .25em}
            table.verdicts th.count{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;font-weight:600;white-space:nowrap}
            td.cell{min-width:9em;max-width:15em;overflow-wrap:break-word}tr.expect td{text-align:left;border-top:none;color:#444}
            </style></head>
            <body data-charts="{{charts.Count}}" data-charts-loaded="0">
            <h1>{{E(results.Experiment ?? "experiment")}}</h1>
            <p>{{E(results.Description ?? "")}}</p>
            <p>Run <code>{{E(results.RunId)}}</code>: <strong>{{E(EnumNames<RunStatus>.ToName(results.Status))}}</strong>{{(results.Error is { } err ? " — " + E(err) : "")}}</p>
            <ul class="findings">
            """);
        foreach (var cell in results.Cells)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li class=\"{Reports.VerdictName(cell).Replace(' ', '-')}\">{E(Reports.Finding(cell))}</li>\n");
        }

        html.Append("</ul>\n<h2>Verdicts</h2>\n");
        AppendVerdicts(html, results, ran);
        html.Append("<p>Counts are defined in docs/results.md; hover a column's name for its meaning. Columns show <code>lost</code> and every other count above 0 in some cell.</p>\n");
        AppendRepetitions(html, results);
        html.Append("<h2>Charts</h2>\n<p>Messages by partition and fate: each mark is the messages of one partition whose outcome came in one bucket of time, coloured by what became of them; a larger mark stands for 10, or 100 and more. Acknowledged messages that a leader change lost show in their partition's lane, in the seconds before the fault.</p>\n");
        foreach (var (title, png) in charts)
        {
            html.Append(CultureInfo.InvariantCulture, $"<figure><img class=\"chart\" alt=\"{E(title)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"><figcaption>{E(title)}</figcaption></figure>\n");
        }

        html.Append("<h2>Cells</h2>\n");
        foreach (var cell in results.Cells)
        {
            AppendCell(html, cell);
        }

        html.Append("""
            <script>addEventListener('load',()=>{document.body.dataset.chartsLoaded=[...document.images].filter(i=>i.complete&&i.naturalWidth>0).length;document.body.dataset.overflowX=document.documentElement.scrollWidth>document.documentElement.clientWidth?'yes':'no'});</script>
            </body></html>
            """);
        return html.ToString();
    }

    /// <summary>The run's charts: anomalies and latency over every cell that ran, then each cell's throughput and fates.</summary>
    private static List<(string Title, byte[] Png)> Charts(List<CellResult> ran)
    {
        var charts = new List<(string Title, byte[] Png)>();
        if (ran.Count > 0)
        {
            // Bars across cells say nothing for one cell: its counts are in the table, its latency under the cell.
            if (ran.Count > 1)
            {
                charts.Add(("Lost and duplicated messages", ReportCharts.Anomalies(ran)));
                charts.Add(("Latency percentiles", ReportCharts.Latency(ran)));
            }

            foreach (var cell in ran)
            {
                charts.Add(($"Throughput: {cell.Name}", ReportCharts.Throughput(cell)));
                if (ReportCharts.Fates(cell) is { } fates)
                {
                    charts.Add(($"Messages by partition and fate: {cell.Name}", fates));
                }
            }
        }

        return charts;
    }

    /// <summary>
    /// The verdict table, which fits the window however many counts a run has: count names stand upright, cell
    /// names may break at ',' and '[', and each cell's expectations take a row of their own beneath it.
    /// </summary>
    private static void AppendVerdicts(StringBuilder html, ResultsDocument results, List<CellResult> ran)
    {
        var columns = new[] { LedgerCountCatalog.Sent, LedgerCountCatalog.Acked }.Concat(LedgerCountCatalog.Columns(ran.Select(c => c.Counts))).ToArray();
        html.Append("<table class=\"verdicts\"><tr><th>cell</th><th>verdict</th>");
        foreach (var column in columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th class=\"count\" title=\"{E(column.Meaning)}\">{E(column.Name)}</th>");
        }

        html.Append("</tr>\n");
        foreach (var cell in results.Cells)
        {
            var verdict = Reports.VerdictName(cell);
            var counts = columns.Select(c => $"<td>{(cell.Status == RunStatus.Unsupported ? "—" : LedgerCountCatalog.Format(c.Read(cell.Counts)))}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"cell\">{Breakable(cell.Name, ',', '[')}</td><td class=\"{verdict.Replace(' ', '-')}\">{verdict}</td>{string.Concat(counts)}</tr>\n");
            if (cell.Expectations is { Count: > 0 } expected)
            {
                var expectations = string.Join("<br>", expected.Select(e => $"{Reports.Mark(e)} {E(e.Expectation)} (got {e.Got})"));
                html.Append(CultureInfo.InvariantCulture, $"<tr class=\"expect\"><td colspan=\"{columns.Length + 2}\">{expectations}</td></tr>\n");
            }
        }

        html.Append("</table>\n");
        if (ran.Any(c => !c.JudgedOnFinalLog))
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><em>{E(Reports.NoFinalReadNote)}.</em></p>\n");
        }
    }

    private static void AppendRepetitions(StringBuilder html, ResultsDocument results)
    {
        if (results.Repetitions is { Count: > 0 } groups)
        {
            html.Append("<h2>Repetitions</h2>\n<p>How often each count was above 0 over a cell's completed, valid repetitions, with its 95% Wilson interval.</p>\n<table><tr><th>cell</th><th>verdict</th><th>rates</th><th>expectations over the repetitions</th></tr>\n");
            foreach (var group in groups)
            {
                var verdict = Reports.RateVerdict(group);
                var expectations = string.Join("<br>", group.Expectations.Select(e => $"{(e.Met ? "✔" : "✘")} {E(Reports.DescribeRate(e))}"));
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(group.Cell)}</td><td class=\"{verdict}\">{verdict}</td><td style=\"text-align:left\">{E(Reports.DescribeRates(group))}</td><td style=\"text-align:left\">{expectations}</td></tr>\n");
            }

            html.Append("</table>\n");
        }
    }

    /// <summary>One cell's details: why it stopped, its fault phases and timeline, examples of each anomaly, and every setting.</summary>
    private static void AppendCell(StringBuilder html, CellResult cell)
    {
        html.Append(CultureInfo.InvariantCulture, $"<details><summary>{E(cell.Name)}: {Reports.VerdictName(cell)}</summary>\n");
        if (cell.Reason is { } reason)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{E(EnumNames<RunStatus>.ToName(cell.Status))}: {E(reason)}</p>\n");
        }

        foreach (var invalid in cell.Status == RunStatus.Completed ? Reports.InvalidReasons(cell) : [])
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"invalid\">invalid: {E(invalid)}</p>\n");
        }

        html.Append("<h4>Fault phases</h4><p>A fault's duration is held from its verification, so it is in effect for longer: these are the real times.</p><table><tr><th>start (UTC)</th><th>fault</th><th>target</th><th>phases</th></tr>\n");
        foreach (var window in cell.FaultWindows)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{DateTimeOffset.FromUnixTimeMilliseconds(window.StartMs):HH:mm:ss.fff}</td><td>{E(window.Fault)}</td><td>{E(window.Target)}</td><td style=\"text-align:left\">{E(window.DescribePhases())}</td></tr>\n");
        }

        html.Append("</table><h4>Fault timeline</h4><table><tr><th>time (UTC)</th><th>fault</th><th>phase</th><th>target</th><th>evidence</th></tr>\n");
        foreach (var fault in cell.Faults)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{DateTimeOffset.FromUnixTimeMilliseconds(fault.TimestampMs):HH:mm:ss.fff}</td><td>{E(fault.Fault)}</td><td>{E(EnumNames<Journal.FaultPhase>.ToName(fault.Phase))}</td><td>{E(fault.Target)}</td><td style=\"text-align:left\">{E(fault.Detail)}</td></tr>\n");
        }

        html.Append("</table><h4>Examples</h4><ul>\n");
        foreach (var (anomaly, examples) in cell.Examples.Where(e => e.Value.Count > 0))
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>{E(anomaly)}: {E(string.Join("; ", examples.Select(Reports.Describe)))}</li>\n");
        }

        html.Append("</ul><h4>Settings</h4><table>\n");
        foreach (var (key, value) in cell.Config.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(key)}</td><td style=\"text-align:left\">{E(value)}</td></tr>\n");
        }

        html.Append("</table></details>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>HTML-encodes <paramref name="text"/> with a line-break opportunity after each of <paramref name="after"/>.</summary>
    private static string Breakable(string text, params char[] after)
    {
        var html = new StringBuilder();
        foreach (var c in text)
        {
            html.Append(E(c.ToString()));
            if (after.Contains(c))
            {
                html.Append("<wbr>");
            }
        }

        return html.ToString();
    }
}
