using CsCheck;
using KafkaChaos.Bench;
using KafkaChaos.Experiments;
using KafkaChaos.Faults;
using NUnit.Framework;

namespace KafkaChaos.Tests.Bench;

public class BenchFileTests
{
    private const string Sweep = """
        brokers: 3
        runs: { alternations: 5, duration: 4s, paced_duration: 2s }
        sweep:
          message_size: [100, 1024]
          acks: ["1", all]
          linger_ms: 5
          batch_size: [default, 65536]
          partitions: 3
          replication_factor: 3
          fault:
            - none
            - { kind: kill-leader, at: 1500ms }
        """;

    private static IEnumerable<string> ShippedBenchFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root(), "experiments", "bench"), "*.yaml").Order();

    [TestCaseSource(nameof(ShippedBenchFiles))]
    public void Load_ShippedBenchFile_Parses(string path)
    {
        var plan = BenchFile.Load(path);

        Assert.That(plan.Cells, Is.Not.Empty);
        Assert.That(plan.Alternations, Is.GreaterThanOrEqualTo(3));
        Assert.That(plan.Source, Is.EqualTo(path));
    }

    [Test]
    public void Parse_Sweep_IsTheProductOfEveryAxis_WithTheBenchDefaultsForFaultTiming()
    {
        var plan = BenchFile.Parse("b.yaml", Sweep);

        Assert.That(plan.Brokers, Is.EqualTo(3));
        Assert.That((plan.Alternations, plan.RunDuration, plan.PacedDuration, plan.ThroughputMessages),
            Is.EqualTo((5, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(2), (long?)null)));
        Assert.That(plan.Cells, Has.Count.EqualTo(2 * 2 * 2 * 2));
        Assert.That(plan.Cells.Select(c => c.BatchSize).Distinct(), Is.EqualTo(new int?[] { null, 65536 }));
        var fault = plan.Cells.Select(c => c.Fault).First(f => f is not null)!;
        Assert.That((fault.Kind, fault.When.At, fault.Duration), Is.EqualTo((FaultKinds.KillLeader, TimeSpan.FromMilliseconds(1500), BenchPlan.DefaultFaultDuration)));
        Assert.That(plan.Cells[1].Name, Is.EqualTo("100B acks=1 linger=5ms p=3 rf=3 fault=kill-leader"));
    }

    [Test]
    public void Parse_NoSweepValues_GivesOneDefaultCell()
    {
        var plan = BenchFile.Parse("b.yaml", "sweep: { message_size: 512 }");

        Assert.That(plan.Cells.Single(), Is.EqualTo(new BenchCell(512, "1", 5, 3)));
        Assert.That(plan.Peers, Is.False, "Kafka's own clients run only when asked");
        Assert.That(BenchFile.Parse("b.yaml", "runs: { peers: true }\nsweep: { message_size: 512 }").Peers, Is.True);
    }

    [TestCase("sweep: { message_size: 100, ack: 1 }", "b.yaml:1:29: unknown key 'sweep.ack'")]
    [TestCase("sweep:\n  acks: [\"1\", \"2\"]", "b.yaml:2:15: acks has value '2'; expected 0, 1 or all")]
    [TestCase("sweep: { message_size: 10 }", "b.yaml:1:24: message_size has value '10'; expected a whole number 44..1048576")]
    [TestCase("brokers: 1\nsweep: { replication_factor: 2 }", "replication_factor has value '2'; expected a whole number 1..1")]
    [TestCase("runs: { alternations: 2 }\nsweep: {}", "b.yaml:1:23: key 'runs.alternations' has value '2'; expected a whole number 3..25")]
    [TestCase("runs: { duration: soon }\nsweep: {}", "key 'runs.duration' has value 'soon'")]
    [TestCase("runs: { peers: yes }\nsweep: {}", "b.yaml:1:16: key 'runs.peers' has value 'yes'; expected true or false")]
    [TestCase("brokers: 3\nsweep: { fault: [{ kind: restart-consumer }] }", "acts on the harness's own clients")]
    [TestCase("brokers: 3\nsweep: { replication_factor: 3, fault: [{ kind: kill-leader, every: 2s }] }", "takes 'at' and 'duration' only")]
    [TestCase("brokers: 3\nsweep: { replication_factor: 3, fault: [{ kind: kill-leader, at: 3s }] }", "would come after the timed runs' 3 s")]
    [TestCase("brokers: 3\nsweep: { fault: [{ kind: kill-leader }] }", "needs a replication factor of at least 2")]
    [TestCase("brokers: 3\nsweep: { fault: [{ kind: pause-broker, broker: 4 }] }", "broker 4 is out of range")]
    [TestCase("sweep: { fault: [] }", "key 'sweep.fault' is an empty list")]
    [TestCase("runs: { duration: 3s }", "needs 'sweep:'")]
    [TestCase("sweep: [1, 2]", "key 'sweep' must be a mapping")]
    [TestCase("- a\n- b", "a bench file is one YAML mapping")]
    public void Parse_BadInput_NamesWhereWhatAndTheValue(string yaml, string expected)
    {
        var error = Assert.Throws<ExperimentConfigException>(() => BenchFile.Parse("b.yaml", yaml))!;

        Assert.That(error.Message, Does.StartWith("b.yaml"));
        Assert.That(error.Message, Does.Contain(expected));
    }

    [Test]
    public void Parse_MutatedBenchFile_IsAcceptedOrRejectedCleanly()
    {
        string[] fragments = ["\t", ":", "- ", "{", "}", "[", "]", "\"", "&a", "*a", "\n", "  ", "-1", "1e400", "~", "null", "none", "fault", "kind", "0", "é"];
        Gen.Select(Gen.Int[0, Sweep.Length], Gen.Int[0, 10], Gen.Int[0, fragments.Length - 1])
            .Array[1, 6]
            .Sample(mutations =>
            {
                var text = Sweep;
                foreach (var (position, remove, fragment) in mutations)
                {
                    var at = Math.Min(position, text.Length);
                    text = text.Remove(at, Math.Min(remove, text.Length - at)).Insert(at, fragments[fragment]);
                }

                try
                {
                    BenchFile.Parse("b.yaml", text);
                }
                catch (ExperimentConfigException e)
                {
                    Assert.That(e.Message, Does.StartWith("b.yaml"), text);
                    Assert.That(e.Message, Does.Not.Contain("\n"), text);
                }
            });
    }
}
