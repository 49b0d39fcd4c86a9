using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.Tests.Cluster;

/// <summary>
/// The KRaft configuration the tool generates, per version family (3.3–3.8 static quorum, 3.9 and 4.x
/// dynamic quorum) and topology (combined, controllers of their own). Each assertion names the section of
/// Kafka's KRaft operations documentation (docs/operations/kraft in apache/kafka, "KRaft" in the
/// Operations chapter of each release's docs) that it follows.
/// </summary>
public class KRaftConfigTests
{
    private const string ClusterId = "MkU3OEVBNTcwNTJENDM2Qg";

    private static IReadOnlyList<KRaftNode> Plan(string version, int brokers, ControllerPlacement? controllers, IReadOnlyDictionary<string, string>? config = null)
    {
        var spec = new ClusterSpec("apache/kafka:" + version, KafkaVersion.Parse(version), brokers, config ?? new Dictionary<string, string> { ["min.insync.replicas"] = "2" },
            Mode: ClusterMode.KRaft, Controllers: controllers);
        spec.Validate();
        var directoryIds = new Queue<string>(["dirAAAAAAAAAAAAAAAAAAA", "dirBBBBBBBBBBBBBBBBBBB", "dirCCCCCCCCCCCCCCCCCCC", "dirDDDDDDDDDDDDDDDDDDD", "dirEEEEEEEEEEEEEEEEEEE"]);
        return KRaftConfig.Plan(spec, b => $"10.1.1.{10 + b}", c => $"10.1.1.{100 + c}", ClusterId, directoryIds.Dequeue);
    }

    private static string Format(KRaftNode node) => string.Join(' ', node.FormatArguments);

    [TestCase("3.3.2")]
    [TestCase("3.8.1")]
    public void Plan_StaticQuorumCombined_NamesEveryVoterInControllerQuorumVoters(string version)
    {
        var nodes = Plan(version, 3, ControllerPlacement.Combined);

        Assert.That(nodes.Select(n => n.NodeId), Is.EqualTo(new[] { 1, 2, 3 }));
        var two = nodes[1].Settings;
        // "Process Roles": a combined server has process.roles=broker,controller.
        Assert.That(two["process.roles"], Is.EqualTo("broker,controller"));
        Assert.That(two["node.id"], Is.EqualTo("2"));
        // "Static versus Dynamic KRaft Quorums": a static quorum names the id, host and port of every controller in controller.quorum.voters ...
        Assert.That(two["controller.quorum.voters"], Is.EqualTo("1@10.1.1.11:9093,2@10.1.1.12:9093,3@10.1.1.13:9093"));
        // ... and has no controller.quorum.bootstrap.servers (3.3–3.8 do not know it).
        Assert.That(two, Does.Not.ContainKey("controller.quorum.bootstrap.servers"));
        // "Controllers": controller.listener.names names the listener the controllers are reached on, listeners has it with host and port.
        Assert.That(two["controller.listener.names"], Is.EqualTo("CONTROLLER"));
        Assert.That(two["listeners"], Is.EqualTo("PLAINTEXT://10.1.1.12:9092,CONTROLLER://10.1.1.12:9093"));
        Assert.That(two["listener.security.protocol.map"], Is.EqualTo("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"));
        // Broker configs, advertised.listeners: a node with the broker role must not advertise a controller listener before 3.9.
        Assert.That(two["advertised.listeners"], Is.EqualTo("PLAINTEXT://10.1.1.12:9092"));
        Assert.That(two["inter.broker.listener.name"], Is.EqualTo("PLAINTEXT"));
        Assert.That(two["log.dirs"], Is.EqualTo(ZooKeeperBrokerConfig.DataDirectory));
        // "Provisioning Nodes": every node formatted with the one cluster id; a static quorum takes no voter flag.
        Assert.That(nodes.Select(Format), Is.All.EqualTo($"format --cluster-id {ClusterId} --config /etc/kafka-chaos/server.properties --ignore-formatted"));
    }

    [TestCase("3.9.1")]
    [TestCase("4.0.0")]
    [TestCase("4.1.0")]
    public void Plan_DynamicQuorumCombined_FormatsEveryVoterWithTheSameInitialControllers(string version)
    {
        var nodes = Plan(version, 3, ControllerPlacement.Combined);

        // "Static versus Dynamic KRaft Quorums": with a dynamic quorum controller.quorum.voters must not be set, and controller.quorum.bootstrap.servers is.
        Assert.That(nodes.Select(n => n.Settings.ContainsKey("controller.quorum.voters")), Is.All.False);
        Assert.That(nodes.Select(n => n.Settings["controller.quorum.bootstrap.servers"]), Is.All.EqualTo("10.1.1.11:9093,10.1.1.12:9093,10.1.1.13:9093"));
        // "Bootstrap with Multiple Controllers": the value of --initial-controllers is the same in all the controllers, id@host:port:directory-id each.
        const string initial = "1@10.1.1.11:9093:dirAAAAAAAAAAAAAAAAAAA,2@10.1.1.12:9093:dirBBBBBBBBBBBBBBBBBBB,3@10.1.1.13:9093:dirCCCCCCCCCCCCCCCCCCC";
        Assert.That(nodes.Select(Format), Is.All.EqualTo($"format --cluster-id {ClusterId} --config /etc/kafka-chaos/server.properties --ignore-formatted --initial-controllers {initial}"));
    }

    [TestCase("3.9.1")]
    [TestCase("4.1.0")]
    public void Plan_DynamicQuorumOneCombinedNode_FormatsItStandalone(string version)
    {
        var node = Plan(version, 1, null, new Dictionary<string, string>()).Single();

        Assert.That(node.Role, Is.EqualTo(KRaftRole.Combined));
        // "Bootstrap a Standalone Controller": one voter is formatted with --standalone.
        Assert.That(Format(node), Does.EndWith("--ignore-formatted --standalone"));
        Assert.That(node.Settings["controller.quorum.bootstrap.servers"], Is.EqualTo("10.1.1.11:9093"));
    }

    [Test]
    public void Plan_StaticQuorumSeparateControllers_BrokersObserveAndControllersVote()
    {
        var nodes = Plan("3.7.0", 4, new ControllerPlacement(3));

        Assert.That(nodes.Select(n => (n.NodeId, n.Role)), Is.EqualTo(new[]
        {
            (1, KRaftRole.Broker), (2, KRaftRole.Broker), (3, KRaftRole.Broker), (4, KRaftRole.Broker),
            (101, KRaftRole.Controller), (102, KRaftRole.Controller), (103, KRaftRole.Controller),
        }));
        var broker = nodes[0].Settings;
        var controller = nodes[4].Settings;
        // "Process Roles".
        Assert.That(broker["process.roles"], Is.EqualTo("broker"));
        Assert.That(controller["process.roles"], Is.EqualTo("controller"));
        // "Controllers": brokers name the voters too, which are the controllers alone.
        Assert.That(broker["controller.quorum.voters"], Is.EqualTo("101@10.1.1.101:9093,102@10.1.1.102:9093,103@10.1.1.103:9093"));
        Assert.That(controller["controller.quorum.voters"], Is.EqualTo(broker["controller.quorum.voters"]));
        // A broker listens for clients only; a controller only on its controller listener, advertising nothing.
        Assert.That(broker["listeners"], Is.EqualTo("PLAINTEXT://10.1.1.11:9092"));
        Assert.That(controller["listeners"], Is.EqualTo("CONTROLLER://10.1.1.101:9093"));
        Assert.That(controller, Does.Not.ContainKey("advertised.listeners"));
        Assert.That(controller, Does.Not.ContainKey("inter.broker.listener.name"));
        Assert.That(broker["controller.listener.names"], Is.EqualTo("CONTROLLER"));
        Assert.That(nodes.Select(n => n.Ports.Keys.Single()), Is.EqualTo(new[] { "PLAINTEXT", "PLAINTEXT", "PLAINTEXT", "PLAINTEXT", "CONTROLLER", "CONTROLLER", "CONTROLLER" }));
    }

    [TestCase("3.9.0")]
    [TestCase("4.1.0")]
    public void Plan_DynamicQuorumSeparateControllers_OnlyControllersGetInitialControllers(string version)
    {
        var nodes = Plan(version, 3, new ControllerPlacement(3));

        // "Formatting New Brokers": a broker is formatted with no additional flags.
        Assert.That(nodes.Where(n => n.Role == KRaftRole.Broker).Select(Format),
            Is.All.EqualTo($"format --cluster-id {ClusterId} --config /etc/kafka-chaos/server.properties --ignore-formatted"));
        // "Bootstrap with Multiple Controllers": each controller with the same --initial-controllers.
        Assert.That(nodes.Where(n => n.Role == KRaftRole.Controller).Select(Format), Is.All.EndWith(
            "--initial-controllers 101@10.1.1.101:9093:dirAAAAAAAAAAAAAAAAAAA,102@10.1.1.102:9093:dirBBBBBBBBBBBBBBBBBBB,103@10.1.1.103:9093:dirCCCCCCCCCCCCCCCCCCC"));
        Assert.That(nodes.Select(n => n.Settings["controller.quorum.bootstrap.servers"]), Is.All.EqualTo("10.1.1.101:9093,10.1.1.102:9093,10.1.1.103:9093"));
    }

    [Test]
    public void Plan_OneSeparateControllerOnDynamicQuorum_IsStandalone()
    {
        var controller = Plan("4.0.0", 3, new ControllerPlacement(1)).Single(n => n.Role == KRaftRole.Controller);

        // "Bootstrap a Standalone Controller".
        Assert.That(Format(controller), Does.EndWith("--standalone"));
        Assert.That(controller.NodeId, Is.EqualTo(101));
    }

    [Test]
    public void Plan_CellSettings_GoToEveryNodeWithBrokerOverridesOnTheirBroker()
    {
        var spec = new ClusterSpec("apache/kafka:4.1.0", KafkaVersion.Parse("4.1.0"), 3,
            new Dictionary<string, string> { ["unclean.leader.election.enable"] = "true", ["min.insync.replicas"] = "2" },
            new Dictionary<int, IReadOnlyDictionary<string, string>> { [3] = new Dictionary<string, string> { ["replica.lag.time.max.ms"] = "5000" } },
            ClusterMode.KRaft, new ControllerPlacement(1));
        spec.Validate();

        var nodes = KRaftConfig.Plan(spec, b => $"10.0.0.{b}", c => $"10.0.0.{100 + c}", ClusterId, () => "dirAAAAAAAAAAAAAAAAAAA");

        // The controllers elect leaders in KRaft, so unclean election reaches them as well as the brokers.
        Assert.That(nodes.Select(n => n.Settings["unclean.leader.election.enable"]), Is.All.EqualTo("true"));
        Assert.That(nodes.Select(n => n.Settings.GetValueOrDefault("replica.lag.time.max.ms")), Is.EqualTo(new string?[] { null, null, "5000", null }));
        // The experiment defaults of ZooKeeper mode hold in KRaft too (0.11+ ones included).
        Assert.That(nodes[0].Settings["auto.create.topics.enable"], Is.EqualTo("false"));
        Assert.That(nodes[0].Settings["group.initial.rebalance.delay.ms"], Is.EqualTo("0"));
        Assert.That(nodes[0].Render(spec.Version), Does.StartWith("# broker-1, Kafka 4.1.0, KRaft mode, process.roles=broker, written by kafka-chaos\n"));
    }

    [TestCase("zookeeper.connect", ClusterMode.KRaft, "ZooKeeper-mode setting")]
    [TestCase("broker.id", ClusterMode.KRaft, "ZooKeeper-mode setting")]
    [TestCase("listeners", ClusterMode.KRaft, "written by the tool")]
    [TestCase("controller.quorum.voters", ClusterMode.KRaft, "written by the tool")]
    [TestCase("process.roles", ClusterMode.ZooKeeper, "KRaft setting")]
    [TestCase("controller.quorum.election.timeout.ms", ClusterMode.ZooKeeper, "KRaft setting")]
    public void Validate_SettingOfTheOtherMode_IsRefusedNamingIt(string key, ClusterMode mode, string why)
    {
        var version = KafkaVersion.Parse(mode == ClusterMode.KRaft ? "4.1.0" : "3.6.0");
        var spec = new ClusterSpec("img", version, 3, new Dictionary<string, string> { [key] = "x" }, Mode: mode);

        var error = Assert.Throws<ClusterConfigException>(spec.Validate)!;

        Assert.That(error.Message, Does.StartWith($"broker setting {key}: ").And.Contain(why));
    }

    [Test]
    public void Validate_KRaftOnlySettingOnKRaft_IsAccepted()
    {
        var spec = new ClusterSpec("img", KafkaVersion.Parse("4.1.0"), 3, new Dictionary<string, string> { ["controller.quorum.election.timeout.ms"] = "500" },
            Mode: ClusterMode.KRaft);

        Assert.DoesNotThrow(spec.Validate);
    }

    [TestCase(2, "combined with 2 brokers makes 2 voters")]
    [TestCase(4, "combined with 4 brokers makes 4 voters")]
    public void Validate_CombinedEvenQuorum_IsRefused(int brokers, string message)
    {
        var spec = new ClusterSpec("img", KafkaVersion.Parse("4.1.0"), brokers, new Dictionary<string, string>(), Mode: ClusterMode.KRaft, Controllers: ControllerPlacement.Combined);

        Assert.That(Assert.Throws<ClusterConfigException>(spec.Validate)!.Message, Does.StartWith("cluster.controllers: " + message));
    }

    [TestCase("0.9.0.1", null, ClusterMode.ZooKeeper)]
    [TestCase("3.2.3", null, ClusterMode.ZooKeeper)]
    [TestCase("3.3.0", null, ClusterMode.KRaft)]
    [TestCase("3.9.1", ClusterMode.ZooKeeper, ClusterMode.ZooKeeper)]
    [TestCase("4.1.0", null, ClusterMode.KRaft)]
    public void ResolveMode_ByVersion_KRaftFrom33UnlessAsked(string version, ClusterMode? asked, ClusterMode expected)
    {
        var (mode, controllers) = ClusterSpec.ResolveMode(KafkaVersion.Parse(version), asked, null, 3);

        Assert.That(mode, Is.EqualTo(expected));
        Assert.That(controllers, Is.EqualTo(expected == ClusterMode.KRaft ? ControllerPlacement.Combined : null));
    }

    [TestCase(3, "combined")]
    [TestCase(4, "3")]
    [TestCase(9, "3")]
    public void DefaultFor_Brokers_CombinedUpToThree(int brokers, string expected) =>
        Assert.That(ControllerPlacement.DefaultFor(brokers).ToString(), Is.EqualTo(expected));

    [TestCase("4.0.0", ClusterMode.ZooKeeper, null, "cluster.mode: zookeeper: Kafka 4.0.0 has no ZooKeeper mode")]
    [TestCase("3.2.0", ClusterMode.KRaft, null, "cluster.mode: kraft: Kafka 3.2.0 has no production KRaft mode")]
    [TestCase("0.9.0.1", null, "3", "cluster.controllers: 3: a ZooKeeper-mode cluster has no KRaft controllers")]
    public void ResolveMode_Impossible_IsOneLine(string version, ClusterMode? mode, string? controllers, string message)
    {
        ControllerPlacement? placement = controllers is null ? null : ControllerPlacement.TryParse(controllers, out var p) ? p : throw new AssertionException(controllers);

        var error = Assert.Throws<ClusterConfigException>(() => ClusterSpec.ResolveMode(KafkaVersion.Parse(version), mode, placement, 3))!;

        Assert.That(error.Message, Does.StartWith(message));
        Assert.That(error.Message, Does.Not.Contain('\n'));
    }

    [TestCase("combined", true)]
    [TestCase("1", true)]
    [TestCase("3", true)]
    [TestCase("5", true)]
    [TestCase("2", false)]
    [TestCase("4", false)]
    [TestCase("7", false)]
    [TestCase("Combined", false)]
    [TestCase("", false)]
    public void TryParse_Placement_OnlyOddQuorumsOrCombined(string text, bool ok) =>
        Assert.That(ControllerPlacement.TryParse(text, out _), Is.EqualTo(ok));

    [Test]
    public void New_KafkaUuid_HasKafkasForm()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => KafkaUuid.New()).ToArray();

        Assert.That(ids, Is.All.Matches<string>(id => KafkaUuid.IsValid(id!)));
        Assert.That(ids.Distinct().Count(), Is.EqualTo(ids.Length));
        // The form kafka-storage.sh random-uuid prints, as in the documentation's examples.
        Assert.That(KafkaUuid.IsValid("3Db5QLSqSZieL3rJBUUegA"), Is.True);
        Assert.That(KafkaUuid.IsValid("-Db5QLSqSZieL3rJBUUegA"), Is.False);
    }
}
