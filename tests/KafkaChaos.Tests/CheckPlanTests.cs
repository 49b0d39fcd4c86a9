using KafkaChaos.ClusterTests;
using NUnit.Framework;

namespace KafkaChaos.Tests;

/// <summary>
/// <c>check --image</c> prints the cluster a run would start, node by node, from the image's name and tag
/// alone: run here with DOCKER_HOST on a socket that does not exist, so any call to an engine would fail.
/// </summary>
public class CheckPlanTests : TemporaryDirectoryTest
{
    private Dictionary<string, string> NoEngine => new() { ["DOCKER_HOST"] = $"unix://{Path.Combine(TestDirectory, "no-engine.sock")}" };

    private string File(string cluster)
    {
        var path = Path.Combine(TestDirectory, "plan.yaml");
        System.IO.File.WriteAllText(path, $"name: plan\ncluster:\n{cluster}\nfaults:\n  - kind: kill-controller\n    at: 2s\n");
        return path;
    }

    [Test]
    public async Task Check_ApacheKafka41_PrintsACombinedDynamicQuorumWithoutAnEngine()
    {
        var (exitCode, output, error) = await CliProcess.RunAsync(NoEngine, "check", Path.Combine(RepositoryPaths.Root(), "experiments/acks-leader-kill.yaml"), "--image", "apache/kafka:4.1.0");

        Assert.That(exitCode, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("Kafka 4.1.0, KRaft mode, dynamic quorum, controllers combined (3 voters), 3 broker(s); image apache/kafka:4.1.0 (apache/kafka layout"));
        Assert.That(output, Does.Contain("broker-3: node.id 3, process.roles broker,controller, 10.213.0.13, ports PLAINTEXT 9092, CONTROLLER 9093"));
        Assert.That(output, Does.Contain("format before the first start: /opt/kafka/bin/kafka-storage.sh format --cluster-id "));
        Assert.That(output, Does.Contain("--initial-controllers 1@10.213.0.11:9093:"));
        Assert.That(output, Does.Contain("    controller.quorum.bootstrap.servers=10.213.0.11:9093,10.213.0.12:9093,10.213.0.13:9093"));
        Assert.That(output, Does.Contain("    min.insync.replicas=2"));
        Assert.That(output, Does.EndWith("ok: nothing was started\n"));
    }

    [Test]
    public async Task Check_ConfluentPlatform76_IsKafka36WithStaticVoters()
    {
        var (exitCode, output, error) = await CliProcess.RunAsync(NoEngine, "check", File("  brokers: 4\n  controllers: 3"), "--image", "confluentinc/cp-kafka:7.6.1");

        Assert.That(exitCode, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("Kafka 3.6.0, KRaft mode, static quorum, controllers 3 (3 voters), 4 broker(s)"));
        Assert.That(output, Does.Contain("controller-101: node.id 101, process.roles controller, 10.213.0.101, ports CONTROLLER 9093"));
        Assert.That(output, Does.Contain("    controller.quorum.voters=101@10.213.0.101:9093,102@10.213.0.102:9093,103@10.213.0.103:9093"));
        Assert.That(output, Does.Contain("/usr/bin/kafka-storage format"));
        Assert.That(output, Does.Not.Contain("--initial-controllers"));
    }

    [Test]
    public async Task Check_ZooKeeperModeOnKafka39_PrintsZooKeeperAndBrokers()
    {
        var (exitCode, output, error) = await CliProcess.RunAsync(NoEngine, "check", File("  mode: zookeeper"), "--kafka-version", "3.9.1");

        Assert.That(exitCode, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("Kafka 3.9.1, ZooKeeper mode, 3 broker(s)"));
        Assert.That(output, Does.Contain("    zookeeper.connect=10.213.0.2:2181"));
    }

    [TestCase("  mode: kraft", "--kafka-version", "3.2.0", "cluster.mode: kraft: Kafka 3.2.0 has no production KRaft mode")]
    [TestCase("  mode: zookeeper", "--image", "apache/kafka:4.1.0", "cluster.mode: zookeeper: Kafka 4.1.0 has no ZooKeeper mode")]
    [TestCase("  brokers: 2\n  controllers: combined", "--image", "apache/kafka:4.1.0", "cluster.controllers: combined with 2 brokers makes 2 voters")]
    [TestCase("  controllers: '2'", "--image", "apache/kafka:4.1.0", "key 'cluster.controllers' has value '2'; expected auto, combined, 1, 3 or 5")]
    [TestCase("  controllers: '3'", "--kafka-version", "2.8.0", "cluster.controllers: 3: a ZooKeeper-mode cluster has no KRaft controllers")]
    [TestCase("  brokers: 3", "--image", "apache/kafka:latest", "--image: the tag of 'apache/kafka:latest' names no Kafka version; pass --kafka-version")]
    public async Task Check_ImpossibleCluster_IsOneLineAndExit2(string cluster, string flag, string value, string expected)
    {
        var (exitCode, output, error) = await CliProcess.RunAsync(NoEngine, "check", File(cluster), flag, value);

        Assert.That(exitCode, Is.EqualTo(2), output + error);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Contain(expected));
    }
}
