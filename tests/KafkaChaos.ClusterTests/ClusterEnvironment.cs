using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// One Docker engine and one broker image for the whole cluster-test run, built by the project from
/// the distribution in KAFKA_CHAOS_TEST_DIST (KAFKA_DIST as a fallback). When the run ends, nothing
/// labelled kafka-chaos.run may be left: that is asserted, not hoped for.
/// </summary>
[SetUpFixture]
public sealed class ClusterEnvironment
{
    public static DockerEngine Engine { get; private set; } = null!;
    public static string Image { get; private set; } = "";
    public static KafkaVersion Version { get; private set; } = new(0, 0, 0);

    [OneTimeSetUp]
    public async Task ConnectAndBuildImage()
    {
        var distribution = Environment.GetEnvironmentVariable("KAFKA_CHAOS_TEST_DIST") ?? Environment.GetEnvironmentVariable("KAFKA_DIST");
        Assert.That(distribution, Is.Not.Null.And.Not.Empty, "set KAFKA_CHAOS_TEST_DIST to a Kafka distribution ('make test' does)");
        Engine = await DockerEngine.ConnectAsync(CancellationToken.None);
        (Image, Version) = await new BrokerImageBuilder(Engine).ResolveAsync(null, new DistributionPath(distribution!, "KAFKA_CHAOS_TEST_DIST"), BrokerImageBuilder.DefaultBaseImage,
            Path.Combine(Path.GetTempPath(), "kafka-chaos-test-dist"), TestContext.Progress.WriteLine, CancellationToken.None);
    }

    /// <summary>Labelled containers and networks on the engine now.</summary>
    public static Task<(int Containers, int Networks)> LabelledAsync() => new ResourceSweeper(Engine).CountAsync(CancellationToken.None);

    /// <summary>The one run directory a run wrote under <paramref name="runs"/> (its --runs-dir), beside the .dist cache.</summary>
    public static string RunDirectoryIn(string runs) => Directory.EnumerateDirectories(runs).Single(d => !d.EndsWith(".dist", StringComparison.Ordinal));

    [OneTimeTearDown]
    public async Task NothingLabelledIsLeft()
    {
        var (containers, networks) = await LabelledAsync();
        Engine.Dispose();
        Assert.That((containers, networks), Is.EqualTo((0, 0)), "labelled containers and networks left behind by the cluster tests");
    }
}
