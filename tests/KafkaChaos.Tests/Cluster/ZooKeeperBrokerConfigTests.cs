using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.Tests.Cluster;

/// <summary>
/// The broker configuration generated for ZooKeeper mode, checked against the settings Kafka's own
/// documentation names for each version (0.9 "Broker Configs"; group.initial.rebalance.delay.ms and
/// the transaction state log settings exist from 0.11).
/// </summary>
public class ZooKeeperBrokerConfigTests
{
    private static Dictionary<string, string> Parse(string properties) => properties
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(line => !line.StartsWith('#'))
        .Select(line => line.Split('=', 2))
        .ToDictionary(kv => kv[0], kv => kv[1]);

    [Test]
    public void RenderBroker_Kafka09_IsTheDocumentedMinimumForAThreeBrokerCluster()
    {
        var spec = new ClusterSpec("img", KafkaVersion.Parse("0.9.0.1"), 3,
            new Dictionary<string, string> { ["min.insync.replicas"] = "2", ["unclean.leader.election.enable"] = "false" });

        var text = ZooKeeperBrokerConfig.RenderBroker(spec, 2, "10.213.1.12", "10.213.1.2:2181");

        Assert.That(text, Is.EqualTo("""
            # broker 2, Kafka 0.9.0.1, ZooKeeper mode, written by kafka-chaos
            advertised.listeners=PLAINTEXT://10.213.1.12:9092
            auto.create.topics.enable=false
            broker.id=2
            controlled.shutdown.enable=true
            default.replication.factor=3
            delete.topic.enable=true
            listeners=PLAINTEXT://0.0.0.0:9092
            log.dirs=/var/lib/kafka/data
            min.insync.replicas=2
            num.partitions=1
            offsets.topic.num.partitions=10
            offsets.topic.replication.factor=3
            unclean.leader.election.enable=false
            zookeeper.connect=10.213.1.2:2181
            zookeeper.connection.timeout.ms=30000
            zookeeper.session.timeout.ms=6000

            """.Replace("\r\n", "\n")));
    }

    [Test]
    public void RenderBroker_Kafka28_AddsSettingsIntroducedIn011()
    {
        var spec = new ClusterSpec("img", KafkaVersion.Parse("2.8.2"), 3, new Dictionary<string, string>());

        var settings = Parse(ZooKeeperBrokerConfig.RenderBroker(spec, 1, "h", "zk:2181"));

        Assert.That(settings["group.initial.rebalance.delay.ms"], Is.EqualTo("0"));
        Assert.That(settings["transaction.state.log.replication.factor"], Is.EqualTo("3"));
        Assert.That(settings["transaction.state.log.min.isr"], Is.EqualTo("2"));
    }

    [Test]
    public void RenderBroker_SingleBroker_ReplicatesInternalTopicsOnce()
    {
        var spec = new ClusterSpec("img", KafkaVersion.Parse("0.9.0.1"), 1, new Dictionary<string, string>());

        var settings = Parse(ZooKeeperBrokerConfig.RenderBroker(spec, 1, "h", "zk:2181"));

        Assert.That((settings["offsets.topic.replication.factor"], settings["default.replication.factor"]), Is.EqualTo(("1", "1")));
    }

    [Test]
    public void RenderBroker_Overrides_WinOverDefaults()
    {
        var spec = new ClusterSpec("img", KafkaVersion.Parse("0.9.0.1"), 3,
            new Dictionary<string, string> { ["auto.create.topics.enable"] = "true", ["replica.lag.time.max.ms"] = "5000" });

        var settings = Parse(ZooKeeperBrokerConfig.RenderBroker(spec, 1, "h", "zk:2181"));

        Assert.That((settings["auto.create.topics.enable"], settings["replica.lag.time.max.ms"]), Is.EqualTo(("true", "5000")));
    }
}
