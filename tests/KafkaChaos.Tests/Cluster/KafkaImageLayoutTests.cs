using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.Tests.Cluster;

/// <summary>
/// How the tool reads an image it did not build: its layout and Kafka version from the probe's listing,
/// or from the image's name and tag when the image cannot be looked into; and the quorum status the
/// KRaft tools print.
/// </summary>
public class KafkaImageLayoutTests
{
    [TestCase("jar /opt/kafka/libs/kafka_2.13-4.1.0.jar\niptables\n", "apache/kafka", "4.1.0", true)]
    [TestCase("jar /opt/kafka/libs/kafka_2.13-3.9.1.jar\n", "apache/kafka", "3.9.1", false)]
    [TestCase("jar /opt/bitnami/kafka/libs/kafka_2.13-3.7.0.jar\n", "bitnami/kafka", "3.7.0", false)]
    [TestCase("jar /usr/share/java/kafka/kafka_2.13-7.9.0-ccs.jar\n", "confluentinc/cp-kafka", "3.9.0", false)]
    [TestCase("jar /usr/share/java/kafka/kafka_2.13-8.1.0-ccs.jar\n", "confluentinc/cp-kafka", "4.1.0", false)]
    public void FromProbe_KnownLayout_GivesLayoutAndVersionFromTheJar(string output, string layout, string version, bool iptables)
    {
        var found = KafkaImageLayout.FromProbe(output);

        Assert.That(found, Is.Not.Null);
        Assert.That((found!.Value.Layout.Name, found.Value.Version.ToString(), found.Value.HasIptables), Is.EqualTo((layout, version, iptables)));
    }

    [TestCase("")]
    [TestCase("iptables\n")]
    [TestCase("jar /opt/kafka/libs/kafka-clients-4.1.0.jar\n")]
    [TestCase("jar /srv/kafka/libs/kafka_2.13-4.1.0.jar\n")]
    public void FromProbe_NoBrokerJarInAKnownPlace_IsNoKafka(string output) =>
        Assert.That(KafkaImageLayout.FromProbe(output), Is.Null);

    [Test]
    public void ProbeScript_AsksForTheStartScriptBesideEachJar()
    {
        // A jar alone (a client image) is no broker: the script prints a jar only where the layout's start script is too.
        foreach (var layout in KafkaImageLayout.Known)
        {
            Assert.That(KafkaImageLayout.ProbeScript, Does.Contain($"[ -f {layout.Script("kafka-server-start")} ]"));
            Assert.That(KafkaImageLayout.ProbeScript, Does.Contain($"{layout.LibsDirectory}/kafka_*.jar"));
        }
    }

    [TestCase("apache/kafka:4.1.0", "apache/kafka", "/opt/kafka/bin/kafka-storage.sh")]
    [TestCase("docker.io/apache/kafka:3.9.1", "apache/kafka", "/opt/kafka/bin/kafka-storage.sh")]
    [TestCase("bitnami/kafka:3.9.0-debian-12-r5", "bitnami/kafka", "/opt/bitnami/kafka/bin/kafka-storage.sh")]
    [TestCase("confluentinc/cp-kafka:7.9.0", "confluentinc/cp-kafka", "/usr/bin/kafka-storage")]
    [TestCase("kafka-chaos/kafka:3.9.0-0123456789ab", "kafka-chaos", "/opt/kafka/bin/kafka-storage.sh")]
    public void FromName_KnownImage_GivesItsLayout(string image, string layout, string storageScript)
    {
        var found = KafkaImageLayout.FromName(image);

        Assert.That(found?.Name, Is.EqualTo(layout));
        Assert.That(found!.Script("kafka-storage"), Is.EqualTo(storageScript));
    }

    [TestCase("registry.local:5000/team/kafka:4.1.0")]
    [TestCase("myimage")]
    public void FromName_UnknownImage_IsNull(string image) => Assert.That(KafkaImageLayout.FromName(image), Is.Null);

    [TestCase("apache/kafka:4.1.0", "4.1.0")]
    [TestCase("bitnami/kafka:3.9.0-debian-12-r5", "3.9.0")]
    [TestCase("confluentinc/cp-kafka:7.6.1", "3.6.0")]
    [TestCase("confluentinc/cp-kafka:8.0.0", "4.0.0")]
    [TestCase("kafka-chaos/kafka:0.9.0.1-0123456789ab", "0.9.0.1")]
    [TestCase("registry.local:5000/apache/kafka:3.8.0", "3.8.0")]
    [TestCase("apache/kafka:latest", null)]
    [TestCase("apache/kafka", null)]
    [TestCase("registry.local:5000/apache/kafka", null)]
    public void VersionFromTag_ReadsTheReleaseTheTagNames(string image, string? version) =>
        Assert.That(ImageReference.VersionFromTag(image)?.ToString(), Is.EqualTo(version));

    [Test]
    public void Parse_QuorumStatusOf39AndLater_ReadsLeaderAndJsonVoters()
    {
        // The example of the KRaft operations docs, "Metadata Quorum Tool".
        const string output = """
            ClusterId:              fMCL8kv1SWm87L_Md-I2hg
            LeaderId:               3002
            LeaderEpoch:            2
            HighWatermark:          10
            MaxFollowerLag:         0
            MaxFollowerLagTimeMs:   -1
            CurrentVoters:          [{"id": 3000, "directoryId": "ILZ5MPTeRWakmJu99uBJCA", "endpoints": ["CONTROLLER://localhost:9093"]},
                                     {"id": 3001, "directoryId": "b-DwmhtOheTqZzPoh52kfA", "endpoints": ["CONTROLLER://localhost:9094"]},
                                     {"id": 3002, "directoryId": "g42deArWBTRM5A1yuVpMCg", "endpoints": ["CONTROLLER://localhost:9095"]}]
            CurrentObservers:       [{"id": 0, "directoryId": "3Db5QLSqSZieL3rJBUUegA"},
                                     {"id": 1, "directoryId": "UegA3Db5QLSqSZieL3rJBU"}]
            """;

        var status = KRaftQuorumStatus.Parse(output);

        Assert.That(status, Is.EqualTo(new KRaftQuorumStatus(3002, 2, [3000, 3001, 3002])).Using<KRaftQuorumStatus>((a, b) =>
            a.LeaderId == b.LeaderId && a.LeaderEpoch == b.LeaderEpoch && a.Voters.SequenceEqual(b.Voters)));
    }

    [Test]
    public void Parse_QuorumStatusBefore39_ReadsPlainVoterIds()
    {
        const string output = "ClusterId:              fMCL8kv1SWm87L_Md-I2hg\nLeaderId:               2\nLeaderEpoch:            7\nHighWatermark:          51\n"
            + "MaxFollowerLag:         0\nMaxFollowerLagTimeMs:   0\nCurrentVoters:          [1,2,3]\nCurrentObservers:       []\n";

        var status = KRaftQuorumStatus.Parse(output)!;

        Assert.That((status.LeaderId, status.LeaderEpoch, string.Join(',', status.Voters)), Is.EqualTo((2, 7, "1,2,3")));
    }

    [TestCase("")]
    [TestCase("Exception in thread \"main\" org.apache.kafka.common.errors.TimeoutException\n")]
    public void Parse_NoStatus_IsNull(string output) => Assert.That(KRaftQuorumStatus.Parse(output), Is.Null);

    [Test]
    public void KRaft_NodeProcess_FormatsOnlyWithoutMetaPropertiesThenExecsTheServer()
    {
        var spec = new ClusterSpec("apache/kafka:4.1.0", KafkaVersion.Parse("4.1.0"), 1, new Dictionary<string, string>(), Mode: ClusterMode.KRaft);
        var node = KRaftConfig.Plan(spec, _ => "10.0.0.11", _ => "", "MkU3OEVBNTcwNTJENDM2Qg", () => "dirAAAAAAAAAAAAAAAAAAA").Single();

        var process = NodeProcess.KRaft(KafkaImageLayout.Apache, node);

        Assert.That(process.Entrypoint, Is.EqualTo(new[] { "/bin/sh", "-c" }));
        Assert.That(process.Command.Single(), Is.EqualTo(
            "set -e; if [ ! -f /var/lib/kafka/data/meta.properties ]; then /opt/kafka/bin/kafka-storage.sh format --cluster-id MkU3OEVBNTcwNTJENDM2Qg "
            + "--config /etc/kafka-chaos/server.properties --ignore-formatted --standalone; fi; exec /opt/kafka/bin/kafka-server-start.sh /etc/kafka-chaos/server.properties"));
        Assert.That(process.User, Is.EqualTo("0"));
        Assert.That(process.Environment, Does.Contain("KAFKA_HEAP_OPTS=-Xms128m -Xmx512m"));
    }
}
