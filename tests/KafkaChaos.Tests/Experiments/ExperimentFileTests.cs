using KafkaChaos.Experiments;
using KafkaChaos.Faults;
using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.Tests.Experiments;

public class ExperimentFileTests
{
    private static IEnumerable<string> ShippedExperiments() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root(), "experiments"), "*.yaml").Order();

    [TestCaseSource(nameof(ShippedExperiments))]
    public void Load_ShippedExperiment_ParsesWithExpectationsAndADescription(string path)
    {
        var plan = ExperimentFile.Load(path);

        Assert.That(plan.Name, Is.EqualTo(Path.GetFileNameWithoutExtension(path)));
        Assert.That(plan.Description, Is.Not.Empty);
        Assert.That(plan.Cells, Is.Not.Empty);
        Assert.That(plan.Cells.SelectMany(c => c.Expectations), Is.Not.Empty);
    }

    [Test]
    public void Parse_Matrix_ExpandsTheProductMinusExcludesTimesRepetitions()
    {
        const string Yaml = """
            name: m
            topic: { replication_factor: 3 }
            matrix:
              producer.acks: ["1", all]
              topic.min_insync_replicas: [1, 2]
            exclude:
              - { producer.acks: "1", topic.min_insync_replicas: 2 }
            repetitions: 2
            expectations:
              - when: { producer.acks: all }
                expect: { lost: 0, redeliveries: ">0" }
            """;

        var plan = ExperimentFile.Parse("m.yaml", Yaml);

        Assert.That(plan.Cells.Select(c => c.Name), Is.EqualTo(new[]
        {
            "m[producer.acks=1,topic.min_insync_replicas=1]#1", "m[producer.acks=1,topic.min_insync_replicas=1]#2",
            "m[producer.acks=all,topic.min_insync_replicas=1]#1", "m[producer.acks=all,topic.min_insync_replicas=1]#2",
            "m[producer.acks=all,topic.min_insync_replicas=2]#1", "m[producer.acks=all,topic.min_insync_replicas=2]#2",
        }));
        var last = plan.Cells[^1];
        Assert.That((last.Spec.Producer["acks"], last.Spec.MinInsyncReplicas), Is.EqualTo(("all", 2)));
        Assert.That(last.Expectations.Select(e => e.ToString()), Is.EqualTo(new[] { "lost == 0 when producer.acks=all", "redeliveries > 0 when producer.acks=all" }));
        Assert.That(plan.Cells[0].Expectations, Is.Empty);
    }

    [Test]
    public void Parse_EverySection_LandsInTheSpec()
    {
        const string Yaml = """
            name: full
            cluster: { brokers: 5 }
            topic: { partitions: 6, replication_factor: 3, min_insync_replicas: 2 }
            workload: { messages: 1000, rate: 0, message_size: 100, keys: sequence }
            producer: { acks: all, linger.ms: 20 }
            broker: { unclean.leader.election.enable: "true", replica.lag.time.max.ms: 5000 }
            consumer: { instances: 2, commit: process-then-commit-async, batch: 50, processing_ms: 3, dedup: true }
            nemesis: { quiet_period: 1s }
            seed: 7
            faults:
              - { kind: isolate-leader, partition: 1, at: 2s, duration: 4s }
              - { kind: net-loss, all_brokers: true, loss_percent: 5, window: [1s, 9s], count: 3 }
              - { kind: restart-consumer, crash_point: after-commit, every: 2s, count: 2 }
            """;

        var spec = ExperimentFile.Parse("full.yaml", Yaml).Cells.Single().Spec;

        Assert.That((spec.Brokers, spec.Partitions, spec.ReplicationFactor, spec.MinInsyncReplicas), Is.EqualTo((5, 6, 3, 2)));
        Assert.That((spec.Messages, spec.RatePerSecond, spec.MessageSize, spec.Keys), Is.EqualTo((1000L, 0.0, 100, KeyStrategy.Sequence)));
        Assert.That(spec.Producer["linger.ms"], Is.EqualTo("20"));
        Assert.That((spec.UncleanLeaderElection, spec.BrokerConfig["replica.lag.time.max.ms"]), Is.EqualTo((true, "5000")));
        Assert.That(spec.Consumer, Is.EqualTo(new ConsumerSpec
        {
            Consumers = 2, Commit = CommitStrategy.ProcessThenCommit, CommitAsync = true, BatchSize = 50,
            ProcessingTime = TimeSpan.FromMilliseconds(3), DedupStore = true,
        }));
        Assert.That((spec.QuietPeriod, spec.Seed), Is.EqualTo((TimeSpan.FromSeconds(1), (int?)7)));
        Assert.That(spec.Faults[0], Is.EqualTo(new FaultSpec
        {
            Kind = FaultKinds.IsolateLeader, Partition = 1, When = new FaultTrigger(TimeSpan.FromSeconds(2)), Duration = TimeSpan.FromSeconds(4),
        }));
        Assert.That(spec.Faults[1].When, Is.EqualTo(new FaultTrigger(TimeSpan.FromSeconds(1), null, 3, TimeSpan.FromSeconds(9))));
        Assert.That((spec.Faults[2].CrashPoint, spec.Faults[2].When.Every), Is.EqualTo((CrashPoint.AfterCommit, (TimeSpan?)TimeSpan.FromSeconds(2))));
    }

    [TestCase("topic:\n  partitons: 3\n", "x.yaml:2:3: unknown key 'topic.partitons'")]
    [TestCase("workload:\n  rate: .nan\n", "x.yaml:2:9: key 'workload.rate' has value '.nan'")]
    [TestCase("workload:\n  messages: 99999999999999999999\n", "x.yaml:2:13: key 'workload.messages' has value '99999999999999999999'")]
    [TestCase("faults:\n  - { kind: kill-leader, at: -5s }\n", "x.yaml:2:30: key 'at' has value '-5s'")]
    [TestCase("faults:\n  - { kind: explode }\n", "x.yaml:2:13: key 'kind' has value 'explode'")]
    [TestCase("cluster: { brokers: 3 }\ncluster: { brokers: 4 }\n", "x.yaml:")]
    [TestCase("topic:\n\tpartitions: 3\n", "not valid YAML: While scanning a mapping, found invalid tab")]
    [TestCase("name: ../../etc/passwd\n", "x.yaml:1:7: key 'name' has value '../../etc/passwd'")]
    [TestCase("topic: { replication_factor: 3, min_insync_replicas: 4 }\n", "x.yaml:1:54: cell x: topic.min_insync_replicas: 4 must be between 1 and the replication factor 3")]
    [TestCase("producer: { acks: \"1\", enable.idempotence: \"true\" }\n", "enable.idempotence=true needs acks=all")]
    [TestCase("workload: { message_size: 2000 }\nproducer: { message.max.bytes: 1000 }\n", "x.yaml:1:27: cell x: workload.message_size: 2000 bytes is above producer.message.max.bytes 1000")]
    [TestCase("producer:\n  \"bootstrap.servers\\nevil\": x\n", "x.yaml:2:30: key 'producer.bootstrap.servers\\nevil' has value 'x'")]
    [TestCase("workload: { duration: 10s, messages: 5 }\n", "x.yaml:1:38: key 'workload.messages' has value '5'; expected no workload.messages alongside workload.duration: give one or the other")]
    [TestCase("workload: { duration: 10s, rate: 0 }\n", "key 'workload.duration' has value '10s'; expected a rate above 0")]
    [TestCase("workload: { duration: -3s, rate: 10 }\n", "key 'workload.duration' has value '-3s'")]
    [TestCase("workload: { producers: 17 }\n", "x.yaml:1:24: key 'workload.producers' has value '17'; expected a whole number 1..16")]
    [TestCase("broker:\n  \"log.dirs; rm -rf /\": x\n", "x.yaml:2:25: key 'broker.log.dirs; rm -rf /' has value 'x'; expected a key of letters")]
    [TestCase("broker:\n  \"$(reboot)\": x\n", "x.yaml:2:16: key 'broker.$(reboot)' has value 'x'; expected a key of letters")]
    [TestCase("broker:\n  log.retention.ms: \"1\\nlisteners=PLAINTEXT://evil:9092\"\n", "x.yaml:2:21: key 'broker.log.retention.ms' has value '1\\nlisteners=PLAINTEXT://evil:9092'; expected a key of letters")]
    [TestCase("cluster: { brokers: 1 }\ntopic: { replication_factor: 1, min_insync_replicas: 1 }\nfaults: [ { kind: isolate-leader } ]\n", "isolate-leader needs a replication factor of at least 2")]
    [TestCase("faults: [ { kind: kill-broker, broker: 7 } ]\n", "broker 7 is out of range")]
    [TestCase("expectations: [ { expect: { lots: 0 } } ]\n", "x.yaml:1:29: 'lots' is not a ledger count")]
    [TestCase("matrix: { producer.acks: [] }\n", "needs one or more distinct values")]
    [TestCase("- just\n- a list\n", "x.yaml: an experiment file is one YAML mapping")]
    [TestCase("producer:\n  acks: 2\n", "x.yaml:2:9: cell x: producer.acks: '2' is not 0, 1 or all")]
    [TestCase("producer:\n  message.timeout.ms: soon\n", "x.yaml:2:23: cell x: producer.message.timeout.ms: 'soon'")]
    [TestCase("producer:\n  linger.ms: abc\n", "x.yaml:2:14: cell x: producer.linger.ms: 'abc': librdkafka refuses it")]
    public void Parse_BadInput_IsRejectedNamingWhereAndWhat(string yaml, string expected)
    {
        var error = Assert.Throws<ExperimentConfigException>(() => ExperimentFile.Parse("x.yaml", yaml));

        Assert.That(error!.Message, Does.Contain(expected));
        Assert.That(error.Message, Does.Not.Contain("\n"), "one line");
    }

    [Test]
    public void Load_HugeFile_IsRejectedBeforeParsing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"huge-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "# " + new string('x', ExperimentFile.MaxBytes));
        try
        {
            var error = Assert.Throws<ExperimentConfigException>(() => ExperimentFile.Load(path));
            Assert.That(error!.Message, Does.Contain("experiment files are limited to"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void UnsupportedReason_IdempotenceOnZeroNine_IsNamed()
    {
        var spec = ExperimentFile.Parse("x.yaml", "producer: { acks: all, enable.idempotence: \"true\" }\n").Cells.Single().Spec;

        Assert.That(MatrixRunner.UnsupportedReason(spec, new KafkaChaos.Cluster.KafkaVersion(0, 9, 0, 1)), Does.Contain("0.11 or later"));
        Assert.That(MatrixRunner.UnsupportedReason(spec, new KafkaChaos.Cluster.KafkaVersion(3, 9, 0)), Is.Null);
    }

    [Test]
    public void Parse_WorkloadDurationAndProducers_BecomeACountAndLanes()
    {
        var spec = ExperimentFile.Parse("x.yaml", "workload: { duration: 2m, rate: 250.5, producers: 4 }\n").Cells[0].Spec;

        Assert.That((spec.Messages, spec.Producers), Is.EqualTo((30_060L, 4)));
        Assert.That(spec.Describe()["workload.producers"], Is.EqualTo("4"));
    }

    [Test]
    public void Parse_ClusterImageAndVersion_AreForTheWholeFile_AndTheVersionIsChecked()
    {
        var plan = ExperimentFile.Parse("v.yaml", "cluster: { brokers: 3, image: kafka-chaos/kafka:0.9.0.1-abc, version: \"0.9\" }\n");

        Assert.That((plan.Image, plan.Version), Is.EqualTo(("kafka-chaos/kafka:0.9.0.1-abc", "0.9")));
        Assert.DoesNotThrow(() => plan.CheckVersion(new KafkaChaos.Cluster.KafkaVersion(0, 9, 0, 1)));
        var error = Assert.Throws<ExperimentConfigException>(() => (plan with { Version = "3.9" }).CheckVersion(new KafkaChaos.Cluster.KafkaVersion(0, 9, 0, 1)));
        Assert.That(error!.Message, Does.Contain("cluster.version is 3.9, but the broker image runs Kafka 0.9.0.1"));
    }

    [Test]
    public void Parse_ClusterAttach_IsForTheWholeFile_AndExcludesAnImage()
    {
        Assert.That(ExperimentFile.Parse("a.yaml", "cluster: { attach: kafka-chaos-kraft }\n").Attach, Is.EqualTo("kafka-chaos-kraft"));
        var error = Assert.Throws<ExperimentConfigException>(() => ExperimentFile.Parse("a.yaml", "cluster: { attach: p, image: kafka-chaos/kafka:0.9.0.1-abc }\n"));
        Assert.That(error!.Message, Does.Contain("cluster.attach and cluster.image"));
        error = Assert.Throws<ExperimentConfigException>(() => ExperimentFile.Parse("a.yaml", "cluster: { attach: \"two words\" }\n"));
        Assert.That(error!.Message, Does.Contain("key 'cluster.attach' has value 'two words'"));
    }
}
