using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.Tests.Cluster;

/// <summary>
/// KRaft configuration, checked against what Kafka's KRaft documentation (operations, "KRaft":
/// process roles, controllers, static quorum) and the apache/kafka image's documentation (environment
/// variables) require, and as whole golden files for 3.9 and 4.x. These are the only tests the KRaft
/// path can have where no modern Kafka can be run.
/// </summary>
public class KRaftConfigTests
{
    private static string Host(int id) => $"10.213.1.{(id > 100 ? id - 50 : 10 + id)}";

    private static Dictionary<string, string> Parse(string properties) =>
        properties.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    [Test]
    public void Combined_ThreeBrokers_EveryNodeIsBrokerAndController_WithTheDocumentedSettings()
    {
        var spec = new ClusterSpec("img", KafkaVersion.Parse("3.9.0"), 3, new Dictionary<string, string>());
        var nodes = KRaftConfig.Nodes(3, KRaftLayout.Combined, Host);

        var settings = Parse(KRaftConfig.RenderServerProperties(spec, nodes[1], nodes));

        // Documented: process.roles=broker,controller makes a combined server; node.id identifies it.
        Assert.That((settings["process.roles"], settings["node.id"]), Is.EqualTo(("broker,controller", "2")));
        // Documented: every server lists all voters as id@host:port; controllers listen on a listener named in controller.listener.names.
        Assert.That(settings["controller.quorum.voters"], Is.EqualTo("1@10.213.1.11:9093,2@10.213.1.12:9093,3@10.213.1.13:9093"));
        Assert.That(settings["controller.listener.names"], Is.EqualTo("CONTROLLER"));
        Assert.That(settings["listeners"].Split(','), Does.Contain("CONTROLLER://0.0.0.0:9093"));
        Assert.That(settings["listener.security.protocol.map"].Split(','), Does.Contain("CONTROLLER:PLAINTEXT"));
        // Brokers advertise the client listener only, and use it between brokers; no ZooKeeper anywhere.
        Assert.That((settings["advertised.listeners"], settings["inter.broker.listener.name"]), Is.EqualTo(("PLAINTEXT://10.213.1.12:9092", "PLAINTEXT")));
        Assert.That(settings.Keys.Where(k => k.StartsWith("zookeeper", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Combined_FiveBrokers_KeepsAQuorumOfThree()
    {
        var nodes = KRaftConfig.Nodes(5, KRaftLayout.Combined, Host);

        Assert.That(nodes.Select(n => n.Roles), Is.EqualTo(new[] { "broker,controller", "broker,controller", "broker,controller", "broker", "broker" }));
        Assert.That(KRaftConfig.Voters(nodes), Is.EqualTo("1@10.213.1.11:9093,2@10.213.1.12:9093,3@10.213.1.13:9093"));
    }

    [Test]
    public void SeparateControllers_ControllerNodesHaveOnlyControllerSettings()
    {
        var spec = new ClusterSpec("img", KafkaVersion.Parse("3.9.0"), 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
        var nodes = KRaftConfig.Nodes(3, KRaftLayout.SeparateControllers, Host);

        var controller = Parse(KRaftConfig.RenderServerProperties(spec, nodes.Single(n => n.NodeId == 101), nodes));
        var broker = Parse(KRaftConfig.RenderServerProperties(spec, nodes.Single(n => n.NodeId == 3), nodes));

        Assert.That(controller, Is.EqualTo(new Dictionary<string, string>
        {
            ["controller.listener.names"] = "CONTROLLER",
            ["controller.quorum.voters"] = "101@10.213.1.51:9093,102@10.213.1.52:9093,103@10.213.1.53:9093",
            ["listener.security.protocol.map"] = "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            ["listeners"] = "CONTROLLER://0.0.0.0:9093",
            ["log.dirs"] = "/var/lib/kafka/data",
            ["node.id"] = "101",
            ["process.roles"] = "controller",
        }));
        Assert.That((broker["process.roles"], broker["listeners"], broker["min.insync.replicas"]), Is.EqualTo(("broker", "PLAINTEXT://0.0.0.0:9092", "2")));
        Assert.That(broker["controller.quorum.voters"], Is.EqualTo(controller["controller.quorum.voters"]));
    }

    [Test]
    public void Golden_Kafka4_CombinedNode()
    {
        var spec = new ClusterSpec("img", KafkaVersion.Parse("4.1.0"), 3,
            new Dictionary<string, string> { ["unclean.leader.election.enable"] = "false" },
            new Dictionary<int, IReadOnlyDictionary<string, string>> { [1] = new Dictionary<string, string> { ["replica.lag.time.max.ms"] = "5000" } });
        var nodes = KRaftConfig.Nodes(3, KRaftLayout.Combined, Host);

        Assert.That(KRaftConfig.RenderServerProperties(spec, nodes[0], nodes), Is.EqualTo("""
            # node 1 (broker,controller), Kafka 4.1.0, KRaft mode, written by kafka-chaos
            advertised.listeners=PLAINTEXT://10.213.1.11:9092
            auto.create.topics.enable=false
            controller.listener.names=CONTROLLER
            controller.quorum.voters=1@10.213.1.11:9093,2@10.213.1.12:9093,3@10.213.1.13:9093
            default.replication.factor=3
            group.initial.rebalance.delay.ms=0
            inter.broker.listener.name=PLAINTEXT
            listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
            listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093
            log.dirs=/var/lib/kafka/data
            node.id=1
            num.partitions=1
            offsets.topic.num.partitions=10
            offsets.topic.replication.factor=3
            process.roles=broker,controller
            replica.lag.time.max.ms=5000
            transaction.state.log.min.isr=2
            transaction.state.log.replication.factor=3
            unclean.leader.election.enable=false

            """.Replace("\r\n", "\n")));
    }

    [Test]
    public void ImageEnvironment_FollowsTheApacheKafkaImageNaming()
    {
        var spec = new ClusterSpec("apache/kafka:3.9.0", KafkaVersion.Parse("3.9.0"), 1, new Dictionary<string, string> { ["some_key-x"] = "v" });
        var nodes = KRaftConfig.Nodes(1, KRaftLayout.Combined, Host);

        var environment = KRaftConfig.ImageEnvironment(spec, nodes[0], nodes, "MkU3OEVBNTcwNTJENDM2Qk");

        Assert.That(environment["CLUSTER_ID"], Is.EqualTo("MkU3OEVBNTcwNTJENDM2Qk"));
        Assert.That(environment["KAFKA_PROCESS_ROLES"], Is.EqualTo("broker,controller"));
        Assert.That(environment["KAFKA_NODE_ID"], Is.EqualTo("1"));
        Assert.That(environment["KAFKA_CONTROLLER_QUORUM_VOTERS"], Is.EqualTo("1@10.213.1.11:9093"));
        Assert.That(environment["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"], Is.EqualTo("CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"));
        Assert.That(environment["KAFKA_SOME__KEY___X"], Is.EqualTo("v"), "'_' doubles and '-' triples, as the image documents");
        Assert.That(environment["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"], Is.EqualTo("1"));
    }

    [TestCase("3.2.3", false, false)]
    [TestCase("3.3.0", true, false)]
    [TestCase("3.9.0", true, false)]
    [TestCase("4.0.0", true, true)]
    public void Versions_KRaftFrom33_OnlyKRaftFrom40(string version, bool supports, bool requires)
    {
        var parsed = KafkaVersion.Parse(version);

        Assert.That((KRaftConfig.Supports(parsed), KRaftConfig.Requires(parsed)), Is.EqualTo((supports, requires)));
    }

    [Test]
    public void NewClusterId_IsTwentyTwoUrlSafeCharacters()
    {
        var id = KRaftConfig.NewClusterId();

        Assert.That(id, Has.Length.EqualTo(22).And.Match("^[A-Za-z0-9_-]+$"));
    }
}
