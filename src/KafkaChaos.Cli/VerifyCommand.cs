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
        var runDirectory = new Argument<string?>("run-dir") { Description = "a run directory: results.json with each cell's journal under cells/NNN/, or one journal.jsonl", Arity = ArgumentArity.ZeroOrOne };
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
                VerdictTable.Print("histories", verdict);
                return Task.FromResult(ExitCodes.Ok);
            }

            // A matrix run keeps each cell's journal under cells/NNN; a single run keeps it at the top.
            var stored = ResultsJson.Read(directory);
            // Without results.json (the tool was killed before writing it), every cells/NNN with a journal counts.
            var cellDirectories = File.Exists(Path.Combine(directory, JournalWriter.FileName))
                ? [(Directory: directory, Stored: stored?.Cells.FirstOrDefault())]
                : stored is not null
                    ? stored.Cells.Where(c => c.Directory is not null && c.Status != RunStatus.Unsupported)
                        .Select(c => (Directory: Path.Combine(directory, c.Directory!), Stored: (CellResult?)c)).ToList()
                    : Directory.Exists(Path.Combine(directory, "cells"))
                        ? Directory.EnumerateDirectories(Path.Combine(directory, "cells")).Order(StringComparer.Ordinal)
                            .Where(d => File.Exists(Path.Combine(d, JournalWriter.FileName)))
                            .Select(d => (Directory: d, Stored: (CellResult?)null)).ToList()
                        : [];
            if (cellDirectories.Count == 0)
            {
                throw new JournalFormatException($"{directory}: no journal here, and no {ResultsDocument.FileName} listing cells; is it a run directory?");
            }

            foreach (var unsupported in stored?.Cells.Where(c => c.Status == RunStatus.Unsupported) ?? [])
            {
                Console.WriteLine($"{unsupported.Name}: unsupported, nothing to verify: {unsupported.Reason}");
            }

            var disagreements = 0;
            foreach (var (cellDirectory, storedCell) in cellDirectories)
            {
                var journal = JournalReader.ReadRunDirectory(cellDirectory);
                if (storedCell?.Status == RunStatus.Completed && (journal.EndStatus is null || journal.History.Truncated))
                {
                    // A completed run closed every file whole; a crash cannot have cut it short afterwards.
                    throw new JournalFormatException($"{cellDirectory}: {ResultsDocument.FileName} says this run completed, yet its journal "
                        + (journal.EndStatus is null ? $"has no end line ({JournalWriter.FileName} is cut short)" : "ends in a torn record")
                        + ": the journal is damaged, and no verdict computed from it can be trusted");
                }

                var recomputed = LedgerChecker.Check(journal.History);
                VerdictTable.Print($"{storedCell?.Name ?? journal.RunId} ({(journal.EndStatus is { } ended ? EnumNames<RunStatus>.ToName(ended) : "no end record: the tool stopped mid-run")})", recomputed);
                if (journal.EndStatus != RunStatus.Completed)
                {
                    Console.Error.WriteLine("note: this run did not complete, so 'lost' also counts acked messages the final read never got to; only a completed run's 'lost' means lost");
                }

                if (storedCell is not null && storedCell.Counts != recomputed.Counts)
                {
                    Console.Error.WriteLine($"kafka-chaos verify: {cellDirectory}: {ResultsDocument.FileName} disagrees with the journal; the journal's verdict is shown above");
                    disagreements++;
                }
                else if (storedCell is not null)
                {
                    Console.WriteLine($"{storedCell.Name}: the journal's counts agree with {ResultsDocument.FileName}");
                    foreach (var expectation in storedCell.Expectations ?? [])
                    {
                        Console.WriteLine($"  {Reports.Mark(expectation)} expected {expectation.Expectation}, got {expectation.Got}");
                    }
                }
            }

            if (disagreements > 0)
            {
                return Task.FromResult(ExitCodes.ExpectationViolated);
            }

            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}
