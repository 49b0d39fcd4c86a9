using KafkaChaos.ClusterTests;
using KafkaChaos.Experiments;
using NUnit.Framework;

namespace KafkaChaos.Tests.Experiments;

/// <summary>
/// An incident's own server.properties and producer.properties: read as Java reads them, each key checked like
/// any other setting and named by file and line, in an experiment file and as a flag alike.
/// </summary>
public class PropertiesFileTests : TemporaryDirectoryTest
{
    [Test]
    public void Parse_ReadsWhatJavaPropertiesReads_WithEachKeysLine()
    {
        var settings = PropertiesFile.Parse("p.properties", """
            # a comment
            ! another
            unclean.leader.election.enable=true
            min.insync.replicas : 2
            log.flush.interval.messages 10000
               log.dirs = /var/lib/kafka/data
            listeners=PLAINTEXT://:9092,\
                      CONTROLLER://:9093
            key\=with\:separators=v
            tab=a\tb
            unicode=\u00e9t\u00e9
            empty=
            """, "broker.");

        Assert.That(settings, Is.EqualTo(new Dictionary<string, (string, string)>
        {
            ["broker.unclean.leader.election.enable"] = ("true", "p.properties:3"),
            ["broker.min.insync.replicas"] = ("2", "p.properties:4"),
            ["broker.log.flush.interval.messages"] = ("10000", "p.properties:5"),
            ["broker.log.dirs"] = ("/var/lib/kafka/data", "p.properties:6"),
            ["broker.listeners"] = ("PLAINTEXT://:9092,CONTROLLER://:9093", "p.properties:7"),
            ["broker.key=with:separators"] = ("v", "p.properties:9"),
            ["broker.tab"] = ("a\tb", "p.properties:10"),
            ["broker.unicode"] = ("été", "p.properties:11"),
            ["broker.empty"] = ("", "p.properties:12"),
        }));
    }

    [TestCase("acks=1\nlinger.ms=5\nacks=all\n", "p.properties:3: key 'acks' is given twice (first on line 1); give it once")]
    [TestCase("=value\n", "p.properties:1: a line without a key")]
    [TestCase("bad=\\u12\n", "p.properties:1: '\\u' is not followed by four hex digits")]
    public void Parse_RefusesWhatJavaWouldQuietlyTake(string text, string expected) =>
        Assert.That(() => PropertiesFile.Parse("p.properties", text, "producer."), Throws.TypeOf<ExperimentConfigException>().With.Message.EqualTo(expected));

    [Test]
    public void ExperimentFile_TakesBrokerAndProducerFilesBesideIt()
    {
        File.WriteAllText(Path.Combine(TestDirectory, "server.properties"), "unclean.leader.election.enable=true\nmin.insync.replicas=1\n");
        File.WriteAllText(Path.Combine(TestDirectory, "producer.properties"), "acks=1\nlinger.ms=20\n");
        var path = Path.Combine(TestDirectory, "incident.yaml");
        File.WriteAllText(path, "name: incident\nbroker_config_file: server.properties\nproducer_config_file: producer.properties\n");

        var cell = ExperimentFile.Load(path).Cells.Single();

        Assert.That(cell.Spec.BrokerConfig, Is.EqualTo(new Dictionary<string, string> { ["unclean.leader.election.enable"] = "true", ["min.insync.replicas"] = "1" }));
        Assert.That((cell.Spec.Producer["acks"], cell.Spec.Producer["linger.ms"]), Is.EqualTo(("1", "20")));
        Assert.That(cell.Settings["broker.unclean.leader.election.enable"], Is.EqualTo("true"), "the cell's settings name the file's keys as a file's section would");
    }

    [Test]
    public void ExperimentFile_NamesTheFileAndLine_OfABadOrDoubledKey_AndTheKeyOfAMissingFile()
    {
        File.WriteAllText(Path.Combine(TestDirectory, "producer.properties"), "linger.ms=20\nkey.serializer=org.apache.kafka.common.serialization.ByteArraySerializer\n");
        File.WriteAllText(Path.Combine(TestDirectory, "acks.properties"), "acks=1\n");
        var producerFile = Path.Combine(TestDirectory, "producer.properties");

        Assert.That(() => Load("producer_config_file: producer.properties\n"), Throws.TypeOf<ExperimentConfigException>().With.Message.StartsWith($"{producerFile}:2: ")
            .And.Message.Contains("key.serializer"));
        Assert.That(() => Load("producer: { acks: all }\nproducer_config_file: acks.properties\n"), Throws.TypeOf<ExperimentConfigException>()
            .With.Message.EqualTo($"{Path.Combine(TestDirectory, "acks.properties")}:1: producer.acks is also given at {Path.Combine(TestDirectory, "x.yaml")}:2:19; give it once"));
        Assert.That(() => Load("broker_config_file: nowhere.properties\n"), Throws.TypeOf<ExperimentConfigException>()
            .With.Message.EqualTo($"{Path.Combine(TestDirectory, "x.yaml")}:2:21: key 'broker_config_file': {Path.Combine(TestDirectory, "nowhere.properties")}: no such properties file"));
    }

    [Test]
    public async Task Flags_TakeTheSameFiles_AndRefuseTheSameWays_WithExitTwo()
    {
        var server = Path.Combine(TestDirectory, "server.properties");
        File.WriteAllText(server, "unclean.leader.election.enable=true\n");
        var doubled = Path.Combine(TestDirectory, "doubled.properties");
        File.WriteAllText(doubled, "linger.ms=1\nlinger.ms=2\n");
        var unknown = Path.Combine(TestDirectory, "unknown.properties");
        File.WriteAllText(unknown, "no.such.setting=1\n");

        var (exitCode, output, error) = await CliProcess.RunAsync("check", "--broker-config-file", server);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("broker.unclean.leader.election.enable=true"));

        foreach (var (flags, expected) in new (string[], string)[]
        {
            (["--producer-config-file", doubled], $"{doubled}:2: key 'linger.ms' is given twice (first on line 1); give it once"),
            (["--producer-config-file", unknown], $"{unknown}:1: producer.no.such.setting: "),
            (["--broker-config-file", Path.Combine(TestDirectory, "none.properties")], $"--broker-config-file: {Path.Combine(TestDirectory, "none.properties")}: no such properties file"),
            (["--broker-config-file", server, "--broker-config", "unclean.leader.election.enable=false"], $"{server}:1: broker.unclean.leader.election.enable is also given at --broker-config; give it once"),
        })
        {
            var refused = await CliProcess.RunAsync(["run", .. flags, "--runs-dir", Path.Combine(TestDirectory, "runs")]);
            Assert.That(refused.ExitCode, Is.EqualTo(2), refused.Error);
            Assert.That(refused.Error.Trim().Split('\n'), Has.Length.EqualTo(1), refused.Error);
            Assert.That(refused.Error, Does.Contain(expected));
            Assert.That(Directory.Exists(Path.Combine(TestDirectory, "runs")), Is.False);
        }
    }

    private ExperimentPlan Load(string body)
    {
        var path = Path.Combine(TestDirectory, "x.yaml");
        File.WriteAllText(path, "name: x\n" + body);
        return ExperimentFile.Load(path);
    }
}
