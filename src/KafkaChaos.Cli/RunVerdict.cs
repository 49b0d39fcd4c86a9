using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using Spectre.Console;

namespace KafkaChaos.Cli;

/// <summary>
/// The end of a run on the console: the verdict table, what stopped early and why, and the exit code that
/// a CI job reads: 0 passed, 1 an expectation was violated, 130 interrupted.
/// </summary>
internal static class RunVerdict
{
    public static int Print(RunOutcome outcome, KafkaVersion version)
    {
        if (outcome.Results.Cells.Count == 1 && outcome.Results.Cells[0].Status != RunStatus.Unsupported)
        {
            var cell = outcome.Results.Cells[0];
            VerdictTable.Print($"{cell.Name} (Kafka {version})", cell.Counts, cell.HistoryTruncated, cell.JudgedOnFinalLog, cell.InvalidReasons ?? []);
        }

        MatrixTable.Print(outcome.Results); // the verdict table, one cell or many

        foreach (var cut in outcome.Results.Cells.Where(c => c.Status is RunStatus.Interrupted or RunStatus.Failed))
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(cut.Name)}: {EnumNames<RunStatus>.ToName(cut.Status)}, so these counts are not a verdict: they cover what was journalled before it stopped, with no final read, and every send still in flight is counted unknown[/]");
        }
        AnsiConsole.MarkupLine($"results, summary.md, junit.xml, report.html: [bold]{Markup.Escape(outcome.RunDirectory)}[/]");
        if (outcome.Results.Status == RunStatus.Interrupted)
        {
            return ExitCodes.Interrupted;
        }

        var notPassed = outcome.Results.Cells.Where(c => c.Status != RunStatus.Unsupported && !c.Passed).ToList();
        foreach (var cell in notPassed.Where(c => !c.Valid))
        {
            AnsiConsole.MarkupLine($"[red]INVALID[/] {Markup.Escape(cell.Name)}: {Markup.Escape(string.Join("; ", Reports.InvalidReasons(cell)))}");
        }

        foreach (var group in (outcome.Results.Repetitions ?? []).Where(g => !g.Passed))
        {
            AnsiConsole.MarkupLine($"[red]RATE NOT MET[/] {Markup.Escape(group.Cell)}: {Markup.Escape(string.Join("; ", group.Expectations.Where(e => !e.Met).Select(e => $"{e.Expectation}: held in {e.Held} of {e.Runs}")))}");
        }

        var tally = string.Join(", ", outcome.Results.Cells.GroupBy(Reports.VerdictName).Select(g => $"{g.Count()} {g.Key}"));
        var rates = outcome.Results.Repetitions is { Count: > 0 } groups ? $"; rates over repetitions: {groups.Count(g => g.Passed)} of {groups.Count} met" : "";
        // A run that asserted nothing did not pass anything: the counts above are its result.
        var asserted = outcome.Results.Cells.Any(c => c.Expectations is { Count: > 0 })
            || (outcome.Results.Repetitions ?? []).Any(g => g.Expectations.Count > 0);
        var summary = $"({outcome.Results.Cells.Count} cell(s): {Markup.Escape(tally)}{Markup.Escape(rates)})";
        AnsiConsole.MarkupLine(!outcome.Results.Passed ? $"[red]verdict: FAIL[/] {summary}"
            : asserted ? $"[green]verdict: PASS[/] {summary}"
            : $"verdict: NO EXPECTATIONS {summary}: nothing was asserted; the counts above are the result");
        return outcome.Results.Passed ? ExitCodes.Ok : ExitCodes.ExpectationViolated;
    }
}
