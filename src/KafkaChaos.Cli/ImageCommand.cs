using System.CommandLine;
using KafkaChaos.Cluster;

namespace KafkaChaos.Cli;

/// <summary><c>kafka-chaos image build</c>: a broker image from any Apache Kafka distribution.</summary>
public static class ImageCommand
{
    public static Command Create(CancellationToken interrupt)
    {
        var dist = new Option<string>("--dist") { Description = "Kafka distribution: a folder or a .tgz", Required = true };
        var baseImage = new Option<string>("--base-image") { Description = "JRE base image", DefaultValueFactory = _ => BrokerImageBuilder.DefaultBaseImage };
        var build = new Command("build", "Build (or reuse) the broker image for a Kafka distribution") { dist, baseImage };
        build.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var (image, version) = await new BrokerImageBuilder(engine).ResolveAsync(null, parse.GetValue(dist), parse.GetValue(baseImage)!,
                Path.Combine(Path.GetTempPath(), "kafka-chaos-dist"), line => Console.Error.WriteLine(line), interrupt);
            Console.WriteLine($"{image}\tKafka {version}");
            return ExitCodes.Ok;
        }));
        return new Command("image", "Broker images") { build };
    }
}
