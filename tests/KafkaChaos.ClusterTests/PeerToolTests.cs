using Confluent.Kafka;
using KafkaChaos.Bench;
using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// Kafka's own clients, as <c>make bench</c> runs them beside the harness: in a container from the
/// brokers' image on the cluster's network. What each says it sent or read is held to the broker's
/// own end offsets, and the perf test's latency to being there at all.
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public class PeerToolTests
{
    [Test]
    public async Task EachPeer_RunsOnTheClustersNetwork_AndCountsWhatTheBrokerHolds()
    {
        var version = ClusterEnvironment.Version;
        await using (var cluster = await KafkaCluster.StartAsync(ClusterEnvironment.Engine, new ClusterSpec(ClusterEnvironment.Image, version, 1, new Dictionary<string, string>()),
            $"peers-{Environment.ProcessId}", TestContext.Progress.WriteLine, CancellationToken.None))
        {
            await using var tools = await cluster.StartToolContainerAsync(CancellationToken.None);
            await cluster.CreateTopicAsync("peers", 3, 1, new Dictionary<string, string>(), CancellationToken.None);
            var cell = new BenchCell(100, "1", 5, 3);
            async Task<PeerOutput> Run(PeerTool tool, string script) => PeerOutput.Parse(tool, (await tools.RunAsync(script, CancellationToken.None)).Output);

            var verifiable = await Run(PeerTool.VerifiableProducer,
                PeerTools.ProducerScript(PeerTool.VerifiableProducer, version, cluster.BootstrapServers, "peers", 2000, cell, 0));
            Assert.That((verifiable.Messages, verifiable.Failed), Is.EqualTo((2000L, 0L)));
            Assert.That(EndOffsets(cluster, "peers"), Is.EqualTo(2000), "the broker holds what the verifiable producer says was acknowledged");
            Assert.That(verifiable.Seconds, Is.GreaterThan(0).And.LessThan(verifiable.ElapsedSeconds), "first to last acknowledgement, inside the whole run");

            var perf = await Run(PeerTool.ProducerPerfTest,
                PeerTools.ProducerScript(PeerTool.ProducerPerfTest, version, cluster.BootstrapServers, "peers", 3000, cell, 1000));
            Assert.That(perf.Messages, Is.EqualTo(3000));
            Assert.That(EndOffsets(cluster, "peers"), Is.EqualTo(5000));
            Assert.That(perf.Seconds, Is.GreaterThan(2.5), "paced at 1,000/s, 3,000 messages take about 3 s by its own clock");
            Assert.That(perf.ProduceToAck!.Max, Is.GreaterThanOrEqualTo(perf.ProduceToAck.P99));
            Assert.That(perf.CpuMicros, Is.GreaterThan(0), "the container's CPU counter was read");

            var perfConsumer = await Run(PeerTool.ConsumerPerfTest,
                PeerTools.ConsumerScript(PeerTool.ConsumerPerfTest, version, cluster.BootstrapServers, "peers", 5000, "perf-group"));
            var verifiableConsumer = await Run(PeerTool.VerifiableConsumer,
                PeerTools.ConsumerScript(PeerTool.VerifiableConsumer, version, cluster.BootstrapServers, "peers", 5000, "verifiable-group"));
            Assert.That((perfConsumer.Messages, verifiableConsumer.Messages), Is.EqualTo((5000L, 5000L)), "both read every record the broker holds");

            var failed = (await Assert.ThrowsAsync<InfrastructureException>(() => Run(PeerTool.VerifiableConsumer,
                PeerTools.ConsumerScript(PeerTool.VerifiableConsumer, version, "nowhere:1", "peers", 1, "g").Replace("--reset-policy earliest", "--reset-policy sideways", StringComparison.Ordinal))))!;
            Assert.That(failed.Message, Does.StartWith("verifiable-consumer exited with"), "a tool's failure names it, with its last words");
        }

        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)), "the tool container went with its cluster");
    }

    private static long EndOffsets(KafkaCluster cluster, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new Dictionary<string, string>(cluster.ClientSettings) { ["group.id"] = "peer-test-offsets" }).Build();
        return Enumerable.Range(0, 3).Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }
}
