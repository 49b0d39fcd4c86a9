using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaChaos.Cluster;
using KafkaChaos.ClusterTests;
using KafkaChaos.Experiments;
using KafkaChaos.Journal;
using NUnit.Framework;

namespace KafkaChaos.Tests.MockCluster;

/// <summary>
/// The modern client path end to end on librdkafka's mock cluster: version detection by ApiVersions, the
/// idempotent producer, topic administration where the mock serves it, the final read, the checker and the
/// reports. A test fixture for the tool's client code, never evidence about Kafka: every output here says
/// "mock cluster".
/// </summary>
[Category("MockCluster")]
public class MockClusterTests : TemporaryDirectoryTest
{
    [Test]
    public async Task ApiVersions_OfTheMockCluster_SayIdempotenceAndNeedNoFallbacks()
    {
        using var mock = new LibrdkafkaMockCluster(3);

        var detected = await ApiVersionsProbe.DetectAsync(mock.BootstrapServers, CancellationToken.None);

        Assert.That(detected, Is.Not.Null, "the mock cluster answers ApiVersions");
        TestContext.Progress.WriteLine($"mock cluster at {mock.BootstrapServers}: serves the requests of Kafka {detected!.Value.Version} or later");
        Assert.That(detected.Value.Apis.Select(a => a.ApiKey), Does.Contain((short)22), "InitProducerId, which idempotent producers ask for");
        Assert.That(detected.Value.Version.HasIdempotentProducer, Is.True);
        Assert.That(ClientCompatibility.SettingsFor(detected.Value.Version), Is.Empty, "no api.version.request=false or broker.version.fallback: the client negotiates");
    }

    [Test]
    public async Task FindCoordinator_OnTheMockCluster_NamesOneOfItsBrokers()
    {
        using var mock = new LibrdkafkaMockCluster(3);
        var first = mock.BootstrapServers.Split(',')[0].Split(':');

        var found = await FindCoordinatorProbe.AskAsync(first[0], int.Parse(first[1], System.Globalization.CultureInfo.InvariantCulture), "kafka-chaos-group",
            new KafkaVersion(2, 8, 0), CancellationToken.None);

        TestContext.Progress.WriteLine($"mock cluster: FindCoordinator v1 names {found}");
        Assert.That(found, Is.Not.Null);
        Assert.That(found!.Value.NodeId, Is.InRange(1, 3));
        Assert.That(mock.BootstrapServers.Split(','), Does.Contain($"{found.Value.Host}:{found.Value.Port}"), "the coordinator is one of the mock's brokers");
    }

    [Test]
    public async Task AdminApi_TopicAndPartitionCreation_AreNotServedByTheMock()
    {
        using var mock = new LibrdkafkaMockCluster(3);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = mock.BootstrapServers }).Build();
        var options = new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(3) };

        // The mock names no controller and has no CreateTopics or CreatePartitions handler: said here, so
        // that its topics are known to come from rd_kafka_mock_topic_create, not from the tool's Admin path.
        var created = (await Assert.ThrowsAsync<KafkaException>(() => admin.CreateTopicsAsync([new TopicSpecification { Name = "t", NumPartitions = 3, ReplicationFactor = 3 }], options)))!;
        var added = (await Assert.ThrowsAsync<KafkaException>(() => admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "t", IncreaseTo = 4 }],
            new CreatePartitionsOptions { RequestTimeout = TimeSpan.FromSeconds(3) })))!;

        TestContext.Progress.WriteLine($"mock cluster: CreateTopics: {created.Message}; CreatePartitions: {added.Message}");
        Assert.That(created.Message, Does.Contain("controller"));
        Assert.That(added.Message, Does.Contain("controller"));
    }

    [Test]
    public async Task IdempotentCell_OnTheMockCluster_RunsEndToEndAndMatchesAPlainRead()
    {
        using var mock = new LibrdkafkaMockCluster(3);
        var version = (await ApiVersionsProbe.DetectAsync(mock.BootstrapServers, CancellationToken.None))!.Value.Version;
        var target = new MockClusterTarget(mock, version);
        var plan = ExperimentFile.Parse("mock-idempotence.yaml", """
            name: mock-idempotence
            cluster: { brokers: 3 }
            topic: { partitions: 3, replication_factor: 3, min_insync_replicas: 2 }
            workload: { messages: 3000, rate: 1500 }
            producer: { acks: all, enable.idempotence: "true", retry.backoff.ms: 50, debug: msg }
            consumer: { commit: process-then-commit-sync, batch: 50 }
            nemesis: { quiet_period: 1s, drain_timeout: 10s }
            faults:
              - { kind: restart-producer, at: 1s }
            expectations:
              - expect: { lost: 0, duplicate_writes: 0, out_of_order: 0, phantoms: 0 }
            """);
        // Produce requests that fail with REQUEST_TIMED_OUT, possibly stored: the idempotent producer retries them under their sequences.
        mock.FailNextRequests(apiKey: 0, error: 7, count: 10);
        var runs = Path.Combine(TestDirectory, "runs");

        var outcome = await new MatrixRunner(null, TimeProvider.System, line => TestContext.Progress.WriteLine($"mock cluster: {line}"))
            .RunAsync(plan, "(mock cluster)", version, runs, null, CancellationToken.None, external: target);

        var cell = outcome.Results.Cells.Single();
        Assert.That(cell.Status, Is.EqualTo(RunStatus.Completed), cell.Reason);
        Assert.That(cell.Valid, Is.True, string.Join("; ", cell.InvalidReasons ?? []));
        var counts = cell.Counts;
        Assert.That(counts.Sent, Is.EqualTo(3000L));
        Assert.That(counts.Failed, Is.Zero, "the injected errors were retried, not given up on");
        Assert.That(counts.Acked, Is.GreaterThan(2900L), "only the sends the restart cut off are unacknowledged");
        Assert.That((counts.Lost, counts.DuplicateWrites, counts.OutOfOrder, counts.Phantoms), Is.EqualTo((0L, 0L, 0L, 0L)));
        Assert.That(outcome.Results.Passed, Is.True);

        // Held to a read of the topic by a reader that shares none of the tool's code.
        var read = PlainTopicRead.Of(target.ClientSettings);
        Assert.That(read.Unreadable, Is.Zero);
        Assert.That(read.Distinct.Count, Is.EqualTo(counts.Acked + counts.UnackedButDelivered + counts.FailedButStored - counts.Lost));
        Assert.That(read.ExtraCopies, Is.EqualTo(counts.DuplicateWrites));

        // The retries happened, as the producer's own log says of each failed request (librdkafka's "msg" debug context).
        var retried = File.ReadLines(Path.Combine(outcome.RunDirectory, "cells", "001", "client.log"))
            .Count(line => line.Contains("encountered error: Broker: Request timed out (actions Retry,MsgPossiblyPersisted)", StringComparison.Ordinal));
        Assert.That(retried, Is.EqualTo(10), "each injected REQUEST_TIMED_OUT made the producer retry a possibly stored batch");

        foreach (var file in new[] { "results.json", "summary.md", "junit.xml", "report.html" })
        {
            Assert.That(File.Exists(Path.Combine(outcome.RunDirectory, file)), Is.True, file);
        }

        Assert.That(File.ReadAllText(Path.Combine(outcome.RunDirectory, "results.json")), Does.Contain("mock cluster"));
        Assert.That(File.ReadAllText(Path.Combine(outcome.RunDirectory, "report.html")), Does.Contain("mock cluster"));
        TestContext.Progress.WriteLine($"mock cluster: sent {counts.Sent}, acked {counts.Acked}, plain read {read.Distinct.Count} distinct, {read.ExtraCopies} extra copies");
    }
}
