using System.CommandLine;
using KafkaChaos.Experiments;

namespace KafkaChaos.Cli;

/// <summary>
/// <c>kafka-chaos new &lt;file.yaml&gt; [run's experiment flags]</c>: the experiment the flags describe, written as a
/// commented experiment file, every setting at its value, so that a command line that reproduced an incident
/// becomes a file to keep. The flags are read and checked exactly as <c>run</c> reads them.
/// </summary>
public static class NewCommand
{
    public static Command Create()
    {
        var flags = new RunFlags();
        var command = new Command("new", "Write the experiment the flags describe (the same flags as run) as a commented experiment file; starts nothing");
        flags.AddTo(command);
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(() =>
        {
            var path = parse.GetValue(flags.Experiment)
                ?? throw new ExperimentConfigException("new: give the file to write, e.g. kafka-chaos new incident.yaml --acks 1 --fault kill-leader");
            if (flags.TargetOptions.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } target)
            {
                throw new ExperimentConfigException($"{target.Name}: new writes the experiment, not where it runs; pass {target.Name} to run");
            }

            if (File.Exists(path) || Directory.Exists(path))
            {
                throw new ExperimentConfigException($"{path}: exists; give a new file name (new never overwrites)");
            }

            RunCommand.CheckFlagValues(parse, flags);
            var (spec, given) = RunCommand.SpecFromFlags(parse, flags);
            spec = spec with { Name = Path.GetFileNameWithoutExtension(path) };
            RunCommand.CheckCells(new ExperimentPlan(spec.Name, "", path, [new PlannedCell(spec.Name, spec, spec.Describe(), new Dictionary<string, string>(), [], 1)]), fromFlags: true);
            var text = ExperimentFileWriter.Render(spec, given.ToDictionary(g => g.Key, g => g.Value.Value, StringComparer.Ordinal),
                "kafka-chaos " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            File.WriteAllText(path, text);
            Console.WriteLine($"{path}: {spec.Faults.Count} fault(s), {given.Count} setting(s) given; check it with 'kafka-chaos check {path}', run it with 'kafka-chaos run {path}'");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}
