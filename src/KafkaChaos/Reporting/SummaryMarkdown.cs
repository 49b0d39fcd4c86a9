using System.Globalization;
using System.Text;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;

namespace KafkaChaos.Reporting;

/// <summary>summary.md: the verdict table, one row per cell, with expectation results and what went wrong.</summary>
public static class SummaryMarkdown
{
    private const int ExamplesShown = 3;

    public static string Render(ResultsDocument results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {results.Experiment ?? "experiment"}: run {results.RunId} ({EnumNames<RunStatus>.ToName(results.Status)})");
        if (!string.IsNullOrEmpty(results.Description))
        {
            text.AppendLine().AppendLine(results.Description);
        }

        if (results.Error is { } error)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"**{EnumNames<RunStatus>.ToName(results.Status)}:** {Escape(error)}");
        }

        // One line per cell before any table: what was lost and the fault nearest it.
        text.AppendLine();
        foreach (var cell in results.Cells)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {Escape(Reports.Finding(cell))}");
        }

        var columns = LedgerCountCatalog.Columns(results.Cells.Where(c => c.Status != RunStatus.Unsupported).Select(c => c.Counts));
        text.AppendLine();
        text.AppendLine("| cell | verdict | sent | acked | " + string.Join(" | ", columns.Select(c => c.Name)) + " | expectations |");
        text.AppendLine("|---|---|---:|---:|" + string.Concat(columns.Select(_ => "---:|")) + "---|");
        foreach (var cell in results.Cells)
        {
            var ran = cell.Status != RunStatus.Unsupported;
            var counts = columns.Select(c => ran ? LedgerCountCatalog.Format(c.Read(cell.Counts)) : "—");
            var expectations = cell.Expectations is { Count: > 0 } list
                ? string.Join("<br>", list.Select(e => $"{Reports.Mark(e)} {Escape(e.Expectation)} (got {e.Got})"))
                : "";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Escape(cell.Name)} | **{Reports.VerdictName(cell)}** | {(ran ? LedgerCountCatalog.Format(cell.Counts.Sent) : "—")} | {(ran ? LedgerCountCatalog.Format(cell.Counts.Acked) : "—")} | {string.Join(" | ", counts)} | {expectations} |");
        }

        if (results.Cells.Any(c => c.Status != RunStatus.Unsupported && !c.JudgedOnFinalLog))
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"_{Reports.NoFinalReadNote}._");
        }

        text.AppendLine().AppendLine("Counts are defined in docs/results.md. Columns show `lost` and every other count above 0 in some cell.");
        if (results.Repetitions is { Count: > 0 } groups)
        {
            text.AppendLine().AppendLine("## Repetitions").AppendLine();
            text.AppendLine("How often each count was above 0 over a cell's completed, valid repetitions, with its 95% Wilson interval. A race is judged on this rate, never on one run.").AppendLine();
            text.AppendLine("| cell | verdict | rates | expectations over the repetitions |");
            text.AppendLine("|---|---|---|---|");
            foreach (var group in groups)
            {
                var verdict = Reports.RateVerdict(group);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Escape(group.Cell)} | **{verdict}** | {Escape(Reports.DescribeRates(group))} | {string.Join("<br>", group.Expectations.Select(e => $"{(e.Met ? "✔" : "✘")} {Escape(Reports.DescribeRate(e))}"))} |");
            }
        }
        var withExamples = results.Cells.Where(c => c.Examples.Any(e => e.Value.Count > 0)).ToList();
        if (withExamples.Count > 0)
        {
            text.AppendLine().AppendLine("## Examples").AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"The first {ExamplesShown} of each anomaly, with the fault event nearest in time; results.json has up to {LedgerChecker.MaxExamples}.");
            foreach (var cell in withExamples)
            {
                text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"**{Escape(cell.Name)}**").AppendLine();
                foreach (var (anomaly, examples) in cell.Examples.Where(e => e.Value.Count > 0))
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- `{anomaly}`: {Escape(string.Join("; ", examples.Take(ExamplesShown).Select(Reports.Describe)))}");
                }
            }
        }

        var notes = results.Cells.Where(c => c.Reason is not null || !c.Valid || c.HistoryTruncated).ToList();
        if (notes.Count > 0)
        {
            text.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var cell in notes)
            {
                if (cell.Reason is { } reason)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- {Escape(cell.Name)}: {EnumNames<RunStatus>.ToName(cell.Status)}: {Escape(reason)}");
                    if (cell.Status is RunStatus.Interrupted or RunStatus.Failed)
                    {
                        text.AppendLine(CultureInfo.InvariantCulture, $"- {Escape(cell.Name)}: the run did not complete and had no final read, so 'lost' also counts acked messages no consumer got to");
                    }
                }

                foreach (var invalid in Reports.InvalidReasons(cell))
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- {Escape(cell.Name)}: invalid: {Escape(invalid)}");
                }

                if (cell.HistoryTruncated)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- {Escape(cell.Name)}: the journal ends in a torn write; counts cover what was flushed");
                }
            }
        }

        return text.ToString();
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
