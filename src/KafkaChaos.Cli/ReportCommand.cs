using System.CommandLine;
using KafkaChaos.Journal;
using KafkaChaos.Reporting;

namespace KafkaChaos.Cli;

/// <summary><c>kafka-chaos report</c>: writes summary.md, junit.xml and report.html again from a run's results.json.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var runDirectory = new Argument<string>("run-dir") { Description = "a run directory holding results.json" };
        var command = new Command("report", "Write summary.md, junit.xml and report.html from a run's results.json") { runDirectory };
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(() =>
        {
            var directory = parse.GetValue(runDirectory)!;
            var results = ResultsJson.Read(directory)
                ?? throw new JournalFormatException($"{Path.Combine(directory, ResultsDocument.FileName)}: not found; is '{directory}' a run directory?");
            Reports.WriteAll(directory, results);
            Console.WriteLine($"{Path.Combine(directory, Reports.SummaryFile)}\n{Path.Combine(directory, Reports.JUnitFile)}\n{Path.Combine(directory, Reports.HtmlFile)}");
            return Task.FromResult(ExitCodes.Ok);
        }));
        command.Subcommands.Add(Merge());
        return command;
    }

    /// <summary><c>report merge &lt;run-dirs...&gt; --out DIR</c>: a plan's shards as one run directory.</summary>
    private static Command Merge()
    {
        var shards = new Argument<string[]>("run-dirs") { Description = "the run directories of every shard (run --shard i/n)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "the merged run directory (new or empty)", Required = true };
        var command = new Command("merge", "Combine the shards of one plan into one run directory with one results.json and its reports") { shards, output };
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(() =>
        {
            var read = parse.GetValue(shards)!.Select(directory => (directory, ResultsJson.Read(directory)
                ?? throw new JournalFormatException($"{Path.Combine(directory, ResultsDocument.FileName)}: not found; is '{directory}' a run directory?"))).ToList();
            var outDirectory = parse.GetValue(output)!;
            var merged = ShardMerge.Merge(read, outDirectory);
            Console.WriteLine($"{merged.Cells.Count} cell(s) of {read.Count} shard(s) in {outDirectory}: {ResultsDocument.FileName}, {Reports.SummaryFile}, {Reports.JUnitFile}, {Reports.HtmlFile}");
            return Task.FromResult(merged.Passed ? ExitCodes.Ok : ExitCodes.ExpectationViolated);
        }));
        return command;
    }
}
