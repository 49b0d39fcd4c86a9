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
        return command;
    }
}
