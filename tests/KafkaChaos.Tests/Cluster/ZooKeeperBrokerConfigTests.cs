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

    [Test]
    public void Golden_Kafka39_ZooKeeperMode_WithPerBrokerOverride()
    {
        var spec = new ClusterSpec("img", KafkaVersion.Parse("3.9.0"), 3,
            new Dictionary<string, string> { ["min.insync.replicas"] = "2" },
            new Dictionary<int, IReadOnlyDictionary<string, string>> { [2] = new Dictionary<string, string> { ["log.flush.interval.messages"] = "1" } });

        Assert.That(ZooKeeperBrokerConfig.RenderBroker(spec, 2, "10.213.1.12", "10.213.1.2:2181"), Is.EqualTo("""
            # broker 2, Kafka 3.9.0, ZooKeeper mode, written by kafka-chaos
            advertised.listeners=PLAINTEXT://10.213.1.12:9092
            auto.create.topics.enable=false
            broker.id=2
            controlled.shutdown.enable=true
            default.replication.factor=3
            delete.topic.enable=true
            group.initial.rebalance.delay.ms=0
            listeners=PLAINTEXT://0.0.0.0:9092
            log.dirs=/var/lib/kafka/data
            log.flush.interval.messages=1
            min.insync.replicas=2
            num.partitions=1
            offsets.topic.num.partitions=10
            offsets.topic.replication.factor=3
            transaction.state.log.min.isr=2
            transaction.state.log.replication.factor=3
            zookeeper.connect=10.213.1.2:2181
            zookeeper.connection.timeout.ms=30000
            zookeeper.session.timeout.ms=6000

            """.Replace("\r\n", "\n")));
    }

    [Test]
    public void Golden_Kafka28_ZooKeeperMode_OverrideOnlyOnItsBroker()
    {
        var spec = new ClusterSpec("img", KafkaVersion.Parse("2.8.2"), 3, new Dictionary<string, string>(),
            new Dictionary<int, IReadOnlyDictionary<string, string>> { [3] = new Dictionary<string, string> { ["replica.lag.time.max.ms"] = "1000" } });

        var broker1 = Parse(ZooKeeperBrokerConfig.RenderBroker(spec, 1, "h1", "zk:2181"));
        var broker3 = Parse(ZooKeeperBrokerConfig.RenderBroker(spec, 3, "h3", "zk:2181"));

        Assert.That(broker1.ContainsKey("replica.lag.time.max.ms"), Is.False);
        Assert.That(broker3["replica.lag.time.max.ms"], Is.EqualTo("1000"));
        Assert.That((broker3["broker.id"], broker3["zookeeper.connect"], broker3["advertised.listeners"]), Is.EqualTo(("3", "zk:2181", "PLAINTEXT://h3:9092")));
    }

    [TestCase(10, null, "brokers: 10 is out of range 1..9")]
    [TestCase(3, 4, "broker override for broker 4")]
    public void Validate_Impossible_IsAConfigError(int brokers, int? overrideFor, string expected)
    {
        var overrides = overrideFor is { } id
            ? new Dictionary<int, IReadOnlyDictionary<string, string>> { [id] = new Dictionary<string, string> { ["a"] = "b" } }
            : null;
        var spec = new ClusterSpec("img", KafkaVersion.Parse("0.9.0.1"), brokers, new Dictionary<string, string>(), overrides);

        Assert.That(Assert.Throws<ClusterConfigException>(spec.Validate)!.Message, Does.StartWith(expected));
    }
}
