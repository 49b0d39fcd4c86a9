using System.Globalization;
using KafkaChaos.Experiments;
using KafkaChaos.Reporting;
using Spectre.Console;

namespace KafkaChaos.Cli;

/// <summary>The verdict table of a whole run, one row per cell, as summary.md has it.</summary>
public static class MatrixTable
{
    private static readonly string[] Columns = ["lost", "lost_unacked", "duplicate_writes", "redeliveries", "duplicates_processed", "phantoms", "out_of_order"];

    public static void Print(ResultsDocument results)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape($"{results.Experiment}: {results.Status}")) }.AddColumn("cell").AddColumn("verdict");
        foreach (var column in Columns)
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        table.AddColumn("expectations");
        foreach (var cell in results.Cells)
        {
            var verdict = Reports.Verdict(cell);
            var color = verdict switch { "pass" => "green", "unsupported" => "grey", _ => "red" };
            var row = new List<string> { Markup.Escape(cell.Name), $"[{color}]{verdict}[/]" };
            row.AddRange(Columns.Select(c => Expectation.Read(cell.Counts, c).ToString("N0", CultureInfo.InvariantCulture)));
            row.Add(Markup.Escape(cell.Status == "unsupported" ? cell.Reason ?? "" :
                string.Join("; ", (cell.Expectations ?? []).Select(e => $"{(e.Met ? "ok" : "VIOLATED")} {e.Expectation} (got {e.Actual})"))));
            table.AddRow(row.ToArray());
        }

        AnsiConsole.Write(table);
    }
}
