using System.CommandLine;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;

namespace KafkaChaos.Cli;

/// <summary>
/// <c>kafka-chaos check</c>: loads an experiment file, or reads run's flags, the way <c>run</c> does and
/// prints each cell's resolved settings, faults and expectations, starting nothing. What is wrong with a
/// file or a flag is found here in a second.
/// With <c>--image</c> or <c>--kafka-version</c> it also prints the cluster each cell would get, node by
/// node, with its server.properties and format command: made from the image's name and tag, so it needs
/// neither a Docker engine nor the image.
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        // The same flags as run, resolved by the same code: a file and the flags that say the same thing
        // print the same settings, so the two can be compared before either starts a cluster.
        var flags = new RunFlags();
        var command = new Command("check", "Check an experiment file, or the experiment run's flags describe, and print its resolved settings, faults and expectations, "
            + "and with --image or --kafka-version the cluster plan; starts nothing");
        flags.AddTo(command);
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(() =>
        {
            var shard = flags.GivenShard(parse);
            var plan = RunCommand.PlanOf(parse, flags);
            RunCommand.CheckCells(plan, fromFlags: parse.GetValue(flags.Experiment) is null);
            Print(plan);
            if (shard is not null)
            {
                Console.WriteLine($"shard {shard} runs {string.Join(", ", shard.Cells(plan).Select(i => plan.Cells[i].Name))}");
            }

            var imageName = parse.GetValue(flags.Image) ?? plan.Image;
            var version = flags.GivenVersion(parse);
            if (imageName is not null || version is not null)
            {
                PrintClusters(plan, imageName ?? "apache/kafka", version);
            }

            Console.WriteLine("ok: nothing was started");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    /// <summary>Every cell with every setting as results.json records it (key=value, by key), then its expectations.</summary>
    private static void Print(ExperimentPlan plan)
    {
        Console.WriteLine($"{plan.SourcePath}: {plan.Name}, {plan.Cells.Count} cell(s)");
        foreach (var fault in plan.Cells[0].Spec.Faults)
        {
            Console.WriteLine($"  fault: {fault.Describe()}");
        }

        foreach (var cell in plan.Cells)
        {
            Console.WriteLine($"  cell {cell.Name}");
            foreach (var (key, value) in cell.Spec.Describe().Where(kv => kv.Key != "name").OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"    {key}={value}");
            }

            foreach (var expectation in cell.Expectations)
            {
                Console.WriteLine($"    expect {expectation}");
            }
        }
    }

    /// <summary>One plan per distinct cluster among the cells, with the cells that share it.</summary>
    private static void PrintClusters(ExperimentPlan plan, string image, KafkaVersion? given)
    {
        var version = given ?? ImageReference.VersionFromTag(image)
            ?? throw new ExperimentConfigException($"--image: the tag of '{image}' names no Kafka version; pass --kafka-version");

        plan.CheckVersion(version);
        var layout = KafkaImageLayout.FromName(image);
        var layoutSource = layout is null ? "assumed from no known name; a run reads it from the image" : "from the image's name; a run reads it from the image";
        var clusterId = KafkaUuid.New();
        foreach (var group in plan.Cells.GroupBy(c => ClusterKey(ExperimentRunner.OwnClusterSpec(c.Spec, image, version))))
        {
            var spec = ExperimentRunner.OwnClusterSpec(group.First().Spec, image, version);
            spec.Validate();
            Console.WriteLine();
            Console.WriteLine($"cluster of {string.Join(", ", group.Select(c => c.Name))}:");
            Console.Write(ClusterPlan.Render(spec, layout ?? KafkaImageLayout.Apache, layoutSource, clusterId));
        }

        Console.WriteLine();
    }

    private static string ClusterKey(ClusterSpec spec) =>
        $"{spec.Brokers}|{spec.Mode}|{spec.Controllers}|{string.Join(';', spec.BrokerConfig.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))}";
}
