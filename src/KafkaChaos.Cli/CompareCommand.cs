using System.CommandLine;
using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using KafkaChaos.Reporting.Comparison;

namespace KafkaChaos.Cli;

/// <summary>
/// <c>kafka-chaos compare &lt;run&gt; &lt;run&gt; [...]</c>: runs of one experiment file side by side, the first as the
/// baseline. Prints compare.md, writes it with compare.json and compare.html, and exits 1 when the last run is
/// worse than the first, so that a nightly job can act on it.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("run-dirs") { Description = "run directories holding results.json, oldest first", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "where compare.md, compare.json and compare.html go (default: compare-<last run id> beside the last run)" };
        var command = new Command("compare", "Compare runs of one experiment file; exit 1 when the last got worse than the first") { runs, output };
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(() =>
        {
            var directories = parse.GetValue(runs)!;
            var compared = directories.Select(Read).ToList();
            var comparison = RunComparer.Compare(compared);
            var outDirectory = parse.GetValue(output)
                ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(directories[^1].TrimEnd('/'))) ?? ".", $"compare-{compared[^1].Label}");
            var markdown = ComparisonMarkdown.Render(comparison);
            Directory.CreateDirectory(outDirectory);
            Reports.WriteAtomically(Path.Combine(outDirectory, ComparisonMarkdown.FileName), markdown);
            Reports.WriteAtomically(Path.Combine(outDirectory, ComparisonJson.FileName), ComparisonJson.Render(comparison));
            Reports.WriteAtomically(Path.Combine(outDirectory, ComparisonHtml.FileName), ComparisonHtml.Render(comparison));
            Console.Write(markdown);
            Console.Error.WriteLine($"wrote {ComparisonMarkdown.FileName}, {ComparisonJson.FileName} and {ComparisonHtml.FileName} to {outDirectory}");
            return Task.FromResult(comparison.Worse ? ExitCodes.ExpectationViolated : ExitCodes.Ok);
        }));
        return command;
    }

    private static ComparedRun Read(string directory)
    {
        var results = ResultsJson.Read(directory)
            ?? throw new JournalFormatException($"{Path.Combine(directory, ResultsDocument.FileName)}: not found; is '{directory}' a run directory?");
        return new ComparedRun(results.RunId, directory, results);
    }
}
