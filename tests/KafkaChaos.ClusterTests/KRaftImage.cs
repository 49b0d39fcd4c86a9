using Docker.DotNet;
using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// A KRaft-capable Kafka on this engine, found without asking a registry: the image in
/// KAFKA_CHAOS_KRAFT_IMAGE or the pinned apache/kafka tag when the engine holds it, an image built from the
/// 3.3+ distribution in KAFKA_CHAOS_KRAFT_DIST, or the cluster tests' own distribution when it is 3.3+.
/// Where there is none, every KRaft test is reported skipped with the reason, never passed.
/// </summary>
internal static class KRaftImage
{
    public static async Task<BrokerImage> RequireAsync()
    {
        var engine = ClusterEnvironment.Engine;
        if (ClusterEnvironment.Version.HasKRaft)
        {
            return await new BrokerImageInspector(engine).InspectAsync(ClusterEnvironment.Image, CancellationToken.None);
        }

        var named = Environment.GetEnvironmentVariable("KAFKA_CHAOS_KRAFT_IMAGE");
        foreach (var image in named is { Length: > 0 } ? [named] : new[] { KafkaImages.PinnedModern })
        {
            try
            {
                var found = await new BrokerImageInspector(engine).InspectAsync(image, CancellationToken.None);
                if (found.Version.HasKRaft)
                {
                    return found;
                }

                Assert.Ignore($"{image} is Kafka {found.Version}, which has no production KRaft mode (3.3 and later have)");
            }
            catch (DockerImageNotFoundException)
            {
                // Not on this engine; the tests never pull it.
            }
        }

        if (Environment.GetEnvironmentVariable("KAFKA_CHAOS_KRAFT_DIST") is { Length: > 0 } dist)
        {
            var (image, version) = await new BrokerImageBuilder(engine).ResolveAsync(null, new DistributionPath(dist, "KAFKA_CHAOS_KRAFT_DIST"),
                BrokerImageBuilder.DefaultBaseImage, Path.Combine(Path.GetTempPath(), "kafka-chaos-kraft-dist"), TestContext.Progress.WriteLine, CancellationToken.None);
            if (version.HasKRaft)
            {
                return await new BrokerImageInspector(engine).InspectAsync(image, CancellationToken.None);
            }
        }

        Assert.Ignore($"no KRaft-capable Kafka on this engine: {(named is { Length: > 0 } ? named : KafkaImages.PinnedModern)} is not here and tests never pull an image "
            + $"({ImagePull.PolicyVariable}=never), and the cluster tests' distribution is Kafka {ClusterEnvironment.Version}, which has no KRaft mode. "
            + "Set KAFKA_CHAOS_KRAFT_IMAGE to an image the engine holds, or KAFKA_CHAOS_KRAFT_DIST to a Kafka 3.3+ distribution (docs/nightly-workflow.yml does)");
        throw new InvalidOperationException("unreachable");
    }
}
