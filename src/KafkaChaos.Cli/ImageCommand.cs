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
            // The distribution is read before the engine is asked for anything: a wrong path is a usage error either way.
            var distribution = KafkaDistribution.Open(new DistributionPath(parse.GetValue(dist)!, "--dist"), Path.Combine(Path.GetTempPath(), "kafka-chaos-dist"));
            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var (image, built) = await new BrokerImageBuilder(engine).EnsureAsync(distribution, parse.GetValue(baseImage)!, interrupt);
            Console.Error.WriteLine(built ? $"built broker image {image}" : $"using cached broker image {image}");
            Console.WriteLine($"{image}\tKafka {distribution.Version}");
            return ExitCodes.Ok;
        }));
        return new Command("image", "Broker images") { build };
    }
}
