using System.CommandLine;
using KafkaChaos.Experiments;

namespace KafkaChaos.Cli;

/// <summary>
/// <c>kafka-chaos check</c>: loads an experiment file the way <c>run</c> does and prints its cells,
/// faults and expectations, starting nothing. What is wrong with a file is found here in a second.
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("experiment") { Description = "an experiment file (YAML)" };
        var command = new Command("check", "Check an experiment file and print its cells, faults and expectations; starts nothing") { file };
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(() =>
        {
            var plan = ExperimentFile.Load(parse.GetValue(file)!);
            Console.WriteLine($"{plan.SourcePath}: {plan.Name}, {plan.Cells.Count} cell(s)");
            var first = plan.Cells[0].Spec;
            foreach (var fault in first.Faults)
            {
                Console.WriteLine($"  fault: {fault.Describe()}");
            }

            foreach (var cell in plan.Cells)
            {
                Console.WriteLine($"  cell {cell.Name}");
                foreach (var expectation in cell.Expectations)
                {
                    Console.WriteLine($"    expect {expectation}");
                }
            }

            Console.WriteLine("ok: nothing was started");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}
