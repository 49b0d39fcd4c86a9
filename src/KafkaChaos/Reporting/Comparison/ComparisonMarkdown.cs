using System.Text;

namespace KafkaChaos.Reporting.Comparison;

/// <summary>compare.md, which <c>compare</c> also prints: the headline, what got worse, then each cell's counts side by side.</summary>
public static class ComparisonMarkdown
{
    public const string FileName = "compare.md";

    public static string Render(RunComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var md = new StringBuilder();
        md.Append("# ").Append(comparison.Experiment.Length > 0 ? comparison.Experiment : "compare").Append(": ").AppendJoin(" → ", comparison.Runs).Append("\n\n");
        md.Append(ComparisonRows.Headline(comparison)).Append("\n\n");
        var worse = comparison.Cells.Where(c => c.Regressions.Count > 0).ToList();
        if (worse.Count > 0)
        {
            md.Append("## Got worse\n\n");
            foreach (var cell in worse)
            {
                foreach (var regression in cell.Regressions)
                {
                    md.Append("- `").Append(cell.Cell).Append("`: ").Append(regression).Append('\n');
                }
            }

            md.Append('\n');
        }

        md.Append("## Cells\n\nA rate counts as changed only when the two 95% Wilson intervals do not overlap.\n\n");
        foreach (var cell in comparison.Cells)
        {
            AppendCell(md, comparison, cell);
        }

        return md.ToString();
    }

    private static void AppendCell(StringBuilder md, RunComparison comparison, CellComparison cell)
    {
        md.Append("### `").Append(cell.Cell).Append("`\n\n");
        var header = "| | " + string.Join(" | ", comparison.Runs) + " |";
        var rule = "|---|" + string.Concat(comparison.Runs.Select(_ => "---|"));
        if (cell.Differences.Count > 0)
        {
            md.Append(header.Replace("| |", "| setting |", StringComparison.Ordinal)).Append('\n').Append(rule).Append('\n');
            foreach (var (key, values) in cell.Differences)
            {
                md.Append("| ").Append(key).Append(" | ").AppendJoin(" | ", values.Select(v => v ?? "—")).Append(" |\n");
            }

            md.Append('\n');
        }

        md.Append(header.Replace("| |", "| count |", StringComparison.Ordinal)).Append(" change |\n").Append(rule).Append("---|\n");
        foreach (var count in ComparisonRows.Shown(cell))
        {
            md.Append("| ").Append(count.Count).Append(" | ")
                .AppendJoin(" | ", Enumerable.Range(0, comparison.Runs.Count).Select(i => ComparisonRows.Value(cell, count, i)))
                .Append(" | ").Append(ComparisonRows.Change(count.Change)).Append(" |\n");
        }

        if (cell.Expectations.Count > 0)
        {
            md.Append('\n').Append(header.Replace("| |", "| expectation |", StringComparison.Ordinal)).Append('\n').Append(rule).Append('\n');
            foreach (var expectation in cell.Expectations)
            {
                md.Append("| ").Append(expectation.Expectation.Replace("|", "\\|", StringComparison.Ordinal)).Append(" | ")
                    .AppendJoin(" | ", expectation.Met.Select(ComparisonRows.Met)).Append(" |\n");
            }
        }

        md.Append('\n');
    }
}
