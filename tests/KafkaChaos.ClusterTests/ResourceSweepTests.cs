using Docker.DotNet.Models;
using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>Resources whose owning process died are swept at the next start; a live owner's are kept.</summary>
[Category("Cluster")]
public class ResourceSweepTests
{
    [Test]
    public async Task SweepAsync_NetworkOfADeadOwner_IsRemovedAndALiveOwnersIsKept()
    {
        var client = ClusterEnvironment.Engine.Client;
        var dead = ResourceLabels.For("sweep-test-dead", "network");
        dead[ResourceLabels.Owner] = "2147483646:1";
        var deadNetwork = await client.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = "kafka-chaos-sweep-test-dead", Labels = dead });
        var liveNetwork = await client.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = "kafka-chaos-sweep-test-live",
            Labels = ResourceLabels.For("sweep-test-live", "network"),
        });
        try
        {
            await new ResourceSweeper(ClusterEnvironment.Engine).SweepAsync(includeLiveOwners: false, CancellationToken.None);

            var remaining = (await client.Networks.ListNetworksAsync(new NetworksListParameters())).Select(n => n.ID).ToHashSet();
            Assert.That(remaining, Does.Not.Contain(deadNetwork.ID));
            Assert.That(remaining, Does.Contain(liveNetwork.ID));
        }
        finally
        {
            await new ResourceSweeper(ClusterEnvironment.Engine).SweepAsync(includeLiveOwners: true, CancellationToken.None);
        }
    }

    [Test]
    public async Task EnsureAsync_SameDistributionTwice_ReusesTheCachedImage()
    {
        var distribution = Environment.GetEnvironmentVariable("KAFKA_CHAOS_TEST_DIST") ?? Environment.GetEnvironmentVariable("KAFKA_DIST")!;
        var dist = KafkaDistribution.Open(distribution, Path.Combine(Path.GetTempPath(), "kafka-chaos-test-dist"));

        var (image, built) = await new BrokerImageBuilder(ClusterEnvironment.Engine).EnsureAsync(dist, BrokerImageBuilder.DefaultBaseImage, CancellationToken.None);

        Assert.That(image, Is.EqualTo(ClusterEnvironment.Image));
        Assert.That(built, Is.False);
        Assert.That(await new BrokerImageBuilder(ClusterEnvironment.Engine).LabelledVersionAsync(image, CancellationToken.None), Is.EqualTo(ClusterEnvironment.Version));
    }
}
