using KafkaChaos.Ledger;
using Spectre.Console;

namespace KafkaChaos.Cli;

/// <summary>Renders a verdict as the console table <c>run</c> and <c>verify</c> print.</summary>
public static class VerdictTable
{
    public static void Print(string title, LedgerVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        Print(title, verdict.Counts, verdict.HistoryTruncated, verdict.JudgedOnFinalLog, verdict.InvalidReasons);
    }

    public static void Print(string title, LedgerCounts counts, bool truncated, bool judgedOnFinalLog, IReadOnlyList<string> invalidReasons)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(invalidReasons);
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) }.AddColumn("count").AddColumn(new TableColumn("value").RightAligned()).AddColumn("meaning");
        foreach (var count in LedgerCountCatalog.All)
        {
            var value = count.Read(counts);
            var text = LedgerCountCatalog.Format(value);
            table.AddRow(new Markup(count.Name), new Markup(count.IsAnomaly && value > 0 ? $"[red]{text}[/]" : text), new Markup(Markup.Escape(count.Meaning)));
        }

        AnsiConsole.Write(table);
        if (!judgedOnFinalLog)
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(Reporting.Reports.NoFinalReadNote)}[/]");
        }

        foreach (var reason in invalidReasons)
        {
            AnsiConsole.MarkupLine($"[red]invalid:[/] {Markup.Escape(reason)}");
        }

        if (truncated)
        {
            AnsiConsole.MarkupLine("[yellow]the journal ends in a torn record: these counts cover what was flushed before the tool stopped[/]");
        }
    }
}
