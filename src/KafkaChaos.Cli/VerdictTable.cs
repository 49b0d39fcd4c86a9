using KafkaChaos.Ledger;
using Spectre.Console;

namespace KafkaChaos.Cli;

/// <summary>Renders ledger counts as the console table <c>run</c> and <c>verify</c> print.</summary>
public static class VerdictTable
{
    public static void Print(string title, LedgerCounts counts, bool truncated)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) }.AddColumn("count").AddColumn(new TableColumn("value").RightAligned()).AddColumn("meaning");
        Row(table, "sent", counts.Sent, "send attempts");
        Row(table, "acked", counts.Acked, "acknowledged by the broker");
        Row(table, "failed", counts.Failed, "definite failure reported to the producer");
        Row(table, "unknown", counts.Unknown, "timed out or in flight at shutdown");
        Row(table, "consumed", counts.Consumed, "records processed (or skipped by the dedup store) by consumers");
        Row(table, "lost", counts.Lost, "acked, never consumed", bad: true);
        Row(table, "lost_unacked", counts.LostUnacked, "not acked, never consumed (expected)");
        Row(table, "unacked_but_delivered", counts.UnackedButDelivered, "not acked, consumed anyway");
        Row(table, "duplicate_writes", counts.DuplicateWrites, "extra stored copies (producer retries)", bad: true);
        Row(table, "redeliveries", counts.Redeliveries, "extra deliveries of one offset (consumer commits)", bad: true);
        Row(table, "duplicates_processed", counts.DuplicatesProcessed, "extra processings of one message (after any dedup store)", bad: true);
        Row(table, "phantoms", counts.Phantoms, "consumed, never sent", bad: true);
        Row(table, "out_of_order", counts.OutOfOrder, "stored before an earlier sequence", bad: true);
        Row(table, "abandoned", counts.Abandoned, "deliveries a consumer crash cut short (not consumed)");
        AnsiConsole.Write(table);
        if (truncated)
        {
            AnsiConsole.MarkupLine("[yellow]the journal ends in a torn record: these counts cover what was flushed before the tool stopped[/]");
        }
    }

    private static void Row(Table table, string name, long value, string meaning, bool bad = false)
    {
        var text = value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        table.AddRow(new Markup(name), new Markup(bad && value > 0 ? $"[red]{text}[/]" : text), new Markup(Markup.Escape(meaning)));
    }
}
