using KafkaChaos.Cluster;

namespace KafkaChaos.Cli;

/// <summary>The cluster a bench command measures on: the broker image from --image, $KAFKA_CHAOS_IMAGE or --dist, started for this process.</summary>
internal static class BenchCluster
{
    public static async Task<KafkaCluster> StartAsync(DockerEngine engine, string? image, string? dist, int brokers, string runId, Action<string> log,
        CancellationToken cancellationToken)
    {
        var (imageName, version) = await new BrokerImageBuilder(engine).ResolveAsync(
            image ?? Environment.GetEnvironmentVariable("KAFKA_CHAOS_IMAGE"),
            DistributionPath.FromFlagOrEnvironment(dist),
            BrokerImageBuilder.DefaultBaseImage, Path.Combine(Path.GetTempPath(), "kafka-chaos-dist"), log, cancellationToken);
        return await KafkaCluster.StartAsync(engine, new ClusterSpec(imageName, version, brokers, new Dictionary<string, string>()), runId, log, cancellationToken);
    }
}
