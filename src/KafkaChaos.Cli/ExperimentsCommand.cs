using System.CommandLine;
using KafkaChaos.Experiments;

namespace KafkaChaos.Cli;

/// <summary><c>kafka-chaos experiments</c>: the experiment files of a directory, each with the claim it settles.</summary>
public static class ExperimentsCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("dir") { Description = "where the experiment files are", DefaultValueFactory = _ => "experiments" };
        var command = new Command("experiments", "List the experiment files of a directory (default: experiments) with their claims") { directory };
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(() =>
        {
            var path = parse.GetValue(directory)!;
            if (!Directory.Exists(path))
            {
                throw new ExperimentConfigException($"experiments: '{path}' is not a directory; give the directory that holds the experiment files");
            }

            foreach (var file in Directory.EnumerateFiles(path, "*.yaml").Order(StringComparer.Ordinal))
            {
                var plan = ExperimentFile.Load(file);
                Console.WriteLine($"{file}  ({plan.Cells.Count} cells)");
                Console.WriteLine($"  {FirstSentence(plan.Description)}");
            }

            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text : text[..(end + 1)];
    }
}
