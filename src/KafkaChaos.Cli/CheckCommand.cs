using System.CommandLine;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;

namespace KafkaChaos.Cli;

/// <summary>
/// <c>kafka-chaos check</c>: loads an experiment file the way <c>run</c> does and prints its cells,
/// faults and expectations, starting nothing. What is wrong with a file is found here in a second.
/// With <c>--image</c> or <c>--kafka-version</c> it also prints the cluster each cell would get, node by
/// node, with its server.properties and format command: made from the image's name and tag, so it needs
/// neither a Docker engine nor the image.
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("experiment") { Description = "an experiment file (YAML)" };
        var image = new Option<string?>("--image") { Description = "print the cluster plan for this broker image (apache/kafka:4.1.0, bitnami/kafka:3.9.0, confluentinc/cp-kafka:7.9.0, one the tool built); nothing is pulled" };
        var kafkaVersion = new Option<string?>("--kafka-version") { Description = "the image's Kafka version, when its tag does not say it" };
        var command = new Command("check", "Check an experiment file and print its cells, faults and expectations, and with --image the cluster plan; starts nothing") { file, image, kafkaVersion };
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

            var imageName = parse.GetValue(image) ?? plan.Image;
            if (imageName is not null || parse.GetValue(kafkaVersion) is not null)
            {
                PrintClusters(plan, imageName ?? "apache/kafka", parse.GetValue(kafkaVersion));
            }

            Console.WriteLine("ok: nothing was started");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    /// <summary>One plan per distinct cluster among the cells, with the cells that share it.</summary>
    private static void PrintClusters(ExperimentPlan plan, string image, string? versionText)
    {
        KafkaVersion version;
        if (versionText is not null)
        {
            version = KafkaVersion.TryParse(versionText, out var given) ? given
                : throw new ExperimentConfigException($"--kafka-version: '{versionText}' is not a Kafka version such as 4.1.0");
        }
        else
        {
            version = ImageReference.VersionFromTag(image)
                ?? throw new ExperimentConfigException($"--image: the tag of '{image}' names no Kafka version; pass --kafka-version");
        }

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
