using System.CommandLine;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;

namespace KafkaChaos.Cli;

/// <summary><c>kafka-chaos verify</c>: recomputes the verdict from a journal, or from another client's JSON-lines histories.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var runDirectory = new Argument<string?>("run-dir") { Description = "a run directory holding journal.jsonl", Arity = ArgumentArity.ZeroOrOne };
        var produced = new Option<string?>("--produced") { Description = "JSON-lines produce outcomes (with --consumed, instead of a run directory)" };
        var consumed = new Option<string?>("--consumed") { Description = "JSON-lines consumed records" };
        var command = new Command("verify", "Recompute every verdict from the journal alone") { runDirectory, produced, consumed };
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(() =>
        {
            var directory = parse.GetValue(runDirectory);
            var producedPath = parse.GetValue(produced);
            var consumedPath = parse.GetValue(consumed);
            if (directory is null == (producedPath is null || consumedPath is null))
            {
                Console.Error.WriteLine("kafka-chaos verify: give either a run directory or both --produced and --consumed");
                return Task.FromResult(ExitCodes.UsageOrConfig);
            }

            if (directory is null)
            {
                var verdict = LedgerChecker.Check(JournalReader.ReadHistoryFiles(producedPath!, consumedPath!));
                VerdictTable.Print("histories", verdict.Counts, verdict.HistoryTruncated);
                return Task.FromResult(ExitCodes.Ok);
            }

            var journal = JournalReader.ReadRunDirectory(directory);
            var recomputed = LedgerChecker.Check(journal.History);
            VerdictTable.Print($"run {journal.RunId} ({journal.EndStatus ?? "no end record: the tool stopped mid-run"})", recomputed.Counts, recomputed.HistoryTruncated);
            var stored = ResultsJson.Read(directory);
            if (stored is not null && stored.Cells.Count > 0 && stored.Cells[0].Counts != recomputed.Counts)
            {
                Console.Error.WriteLine($"kafka-chaos verify: {ResultsDocument.FileName} disagrees with the journal; the journal's verdict is shown above");
                return Task.FromResult(ExitCodes.ExpectationViolated);
            }

            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}
