using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;
using Spectre.Console;

namespace KafkaChaos.Cli;

/// <summary>The verdict table of a whole run, one row per cell, as summary.md has it.</summary>
public static class MatrixTable
{
    public static void Print(ResultsDocument results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var columns = LedgerCountCatalog.Columns(results.Cells.Where(c => c.Status != RunStatus.Unsupported).Select(c => c.Counts));
        var table = new Table { Title = new TableTitle(Markup.Escape($"{results.Experiment}: {EnumNames<RunStatus>.ToName(results.Status)}")) }.AddColumn("cell").AddColumn("verdict");
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column.Name).RightAligned());
        }

        table.AddColumn("expectations");
        foreach (var cell in results.Cells)
        {
            var verdict = Reports.Verdict(cell);
            var color = verdict switch { CellVerdict.Pass => "green", CellVerdict.Unsupported or CellVerdict.NoExpectations => "grey", _ => "red" };
            var row = new List<string> { Markup.Escape(cell.Name), $"[{color}]{CellVerdictNames.ToName(verdict)}[/]" };
            row.AddRange(columns.Select(c => cell.Status == RunStatus.Unsupported ? "—" : LedgerCountCatalog.Format(c.Read(cell.Counts))));
            row.Add(Markup.Escape(cell.Status == RunStatus.Unsupported ? cell.Reason ?? "" :
                string.Join("; ", (cell.Expectations ?? []).Select(e => $"{(e.AtLeast is not null ? "rate" : e.Met ? "ok" : "VIOLATED")} {e.Expectation} (got {e.Got})"))));
            table.AddRow(row.ToArray());
        }

        AnsiConsole.Write(table);
        foreach (var group in results.Repetitions ?? [])
        {
            var expectations = group.Expectations.Select(e => $"{(e.Met ? "[green]ok[/]" : "[red]VIOLATED[/]")} {Markup.Escape(Reports.DescribeRate(e))}");
            AnsiConsole.MarkupLine($"{Markup.Escape(group.Cell)}: {Markup.Escape(Reports.DescribeRates(group))}{(group.Expectations.Count > 0 ? "; " + string.Join("; ", expectations) : "")}");
        }
        if (results.Cells.Any(c => c.Status is not RunStatus.Unsupported && !c.JudgedOnFinalLog))
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(Reports.NoFinalReadNote)}[/]");
        }
    }
}
