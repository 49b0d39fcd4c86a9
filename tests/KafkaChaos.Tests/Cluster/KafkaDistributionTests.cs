using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.Tests.Cluster;

public class KafkaDistributionTests : TemporaryDirectoryTest
{
    [Test]
    public void Open_FolderWithBrokerJar_ReadsVersionAndLeavesDocsOut()
    {
        var home = Path.Combine(TestDirectory, "kafka_2.13-3.9.0");
        Directory.CreateDirectory(Path.Combine(home, "libs"));
        File.WriteAllText(Path.Combine(home, "libs", "kafka_2.13-3.9.0.jar"), "jar");
        File.WriteAllText(Path.Combine(home, "libs", "kafka_2.13-3.9.0-sources.jar"), "src");
        File.WriteAllText(Path.Combine(home, "libs", "kafka_2.13-3.9.0.jar.asc"), "sig");

        var distribution = KafkaDistribution.Open(TestDirectory, TestDirectory);

        Assert.That(distribution.Version, Is.EqualTo(KafkaVersion.Parse("3.9.0")));
        Assert.That(distribution.RuntimeFiles().Select(Path.GetFileName), Is.EqualTo(new[] { "kafka_2.13-3.9.0.jar" }));
    }

    [Test]
    public void Open_ChangedJar_ChangesTheDigest()
    {
        Directory.CreateDirectory(Path.Combine(TestDirectory, "libs"));
        var jar = Path.Combine(TestDirectory, "libs", "kafka_2.11-0.9.0.1.jar");
        File.WriteAllText(jar, "one");
        var first = KafkaDistribution.Open(TestDirectory, TestDirectory).Digest;
        File.WriteAllText(jar, "two");

        Assert.That(KafkaDistribution.Open(TestDirectory, TestDirectory).Digest, Is.Not.EqualTo(first));
    }

    [Test]
    public void Open_FolderWithoutKafka_FailsNamingThePath()
    {
        var error = Assert.Throws<ClusterConfigException>(() => KafkaDistribution.Open(TestDirectory, TestDirectory));

        Assert.That(error!.Message, Does.Contain(TestDirectory).And.Contain("no Kafka broker jar"));
    }
}
