using System.Globalization;
using System.Text;

namespace KafkaChaos.Reporting;

/// <summary>summary.md: the verdict table, one row per cell, with expectation results and what went wrong.</summary>
public static class SummaryMarkdown
{
    private static readonly string[] Columns = ["lost", "lost_unacked", "unacked_but_delivered", "duplicate_writes", "redeliveries", "duplicates_processed", "phantoms", "out_of_order"];

    public static string Render(ResultsDocument results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {results.Experiment ?? "experiment"}: run {results.RunId} ({results.Status})");
        if (!string.IsNullOrEmpty(results.Description))
        {
            text.AppendLine().AppendLine(results.Description);
        }

        if (results.Error is { } error)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"**{results.Status}:** {Escape(error)}");
        }

        text.AppendLine();
        text.AppendLine("| cell | verdict | sent | acked | " + string.Join(" | ", Columns) + " | expectations |");
        text.AppendLine("|---|---|---:|---:|" + string.Concat(Columns.Select(_ => "---:|")) + "---|");
        foreach (var cell in results.Cells)
        {
            var counts = Columns.Select(c => Experiments.Expectation.Read(cell.Counts, c).ToString("N0", CultureInfo.InvariantCulture));
            var expectations = cell.Expectations is { Count: > 0 } list
                ? string.Join("<br>", list.Select(e => $"{(e.Met ? "✔" : "✘")} {Escape(e.Expectation)} (got {e.Actual.ToString(CultureInfo.InvariantCulture)})"))
                : "";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Escape(cell.Name)} | **{Reports.Verdict(cell)}** | {cell.Counts.Sent:N0} | {cell.Counts.Acked:N0} | {string.Join(" | ", counts)} | {expectations} |");
        }

        var notes = results.Cells.Where(c => c.Reason is not null || c.FaultsNotApplied.Count > 0 || c.HistoryTruncated).ToList();
        if (notes.Count > 0)
        {
            text.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var cell in notes)
            {
                if (cell.Reason is { } reason)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- {Escape(cell.Name)}: {cell.Status}: {Escape(reason)}");
                    if (cell.Status is "interrupted" or "failed")
                    {
                        text.AppendLine(CultureInfo.InvariantCulture, $"- {Escape(cell.Name)}: the run did not complete, so 'lost' also counts acked messages the final read never got to");
                    }
                }

                foreach (var fault in cell.FaultsNotApplied)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- {Escape(cell.Name)}: invalid, fault not applied: {Escape(fault)}");
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
