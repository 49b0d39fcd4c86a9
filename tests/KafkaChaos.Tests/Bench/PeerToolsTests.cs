using KafkaChaos.Bench;
using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.Tests.Bench;

public class PeerToolsTests
{
    private const string Exit0 = "exit 0\nelapsed_ns 5200000000\ncpu_us 7300000\n";

    [Test]
    public void VerifiableProducer_IsTimedFromItsFirstToItsLastAcknowledgement()
    {
        var output = PeerOutput.Parse(PeerTool.VerifiableProducer, Exit0 + "acked 400000\nfailed 2\nfirst_ms 1764780000100\nlast_ms 1764780004100\n");

        Assert.That((output.Messages, output.Seconds, output.ElapsedSeconds, output.CpuMicros, output.Failed), Is.EqualTo((400_000L, 4.0, 5.2, 7_300_000.0, 2L)));
    }

    [Test]
    public void ProducerPerfTest_GivesItsOwnRateAndPercentilesInMicroseconds()
    {
        var output = PeerOutput.Parse(PeerTool.ProducerPerfTest, Exit0 +
            "summary 300000 records sent, 99833.610649 records/sec (9.52 MB/sec), 12.31 ms avg latency, 250.00 ms max latency, 3 ms 50th, 40 ms 95th, 97 ms 99th, 210 ms 99.9th.\n");

        Assert.That(output.Messages, Is.EqualTo(300_000));
        Assert.That(output.Seconds, Is.EqualTo(3.005).Within(1e-3));
        Assert.That((output.ProduceToAck!.P50, output.ProduceToAck.P99, output.ProduceToAck.P999, output.ProduceToAck.Max), Is.EqualTo((3_000L, 97_000L, 210_000L, 250_000L)));
    }

    [Test]
    public void Consumers_AreTimedWhole()
    {
        var perf = PeerOutput.Parse(PeerTool.ConsumerPerfTest, Exit0 +
            "summary 2026-12-03 18:00:00:000, 2026-12-03 18:00:04:000, 95.3674, 23.8419, 1000000, 250000.0000\n");
        var verifiable = PeerOutput.Parse(PeerTool.VerifiableConsumer, Exit0 + "consumed 1000000\n");

        Assert.That((perf.Messages, perf.Seconds), Is.EqualTo((1_000_000L, 5.2)), "the script's time; the bench subtracts the one-record run");
        Assert.That((verifiable.Messages, verifiable.Seconds), Is.EqualTo((1_000_000L, 5.2)));
    }

    [Test]
    public void AFailedRun_SaysWhichToolAndItsLastWords()
    {
        var failed = Assert.Throws<InfrastructureException>(() => PeerOutput.Parse(PeerTool.VerifiableConsumer,
            "exit 1\nelapsed_ns 10\ncpu_us 1\nconsumed 0\nException in thread \"main\" org.apache.kafka.common.config.ConfigException: Missing required configuration\n"))!;
        var silent = Assert.Throws<InfrastructureException>(() => PeerOutput.Parse(PeerTool.ProducerPerfTest, Exit0 + "summary \n"))!;

        Assert.That(failed.Message, Does.StartWith("verifiable-consumer exited with 1:").And.Contain("ConfigException"));
        Assert.That(silent.Message, Does.StartWith("producer-perf-test printed no summary line"));
    }

    [Test]
    public void Scripts_UseTheFlagsOfTheBrokersVersion()
    {
        var cell = new BenchCell(100, "all", 5, 3, 65536);
        var old = PeerTools.ProducerScript(PeerTool.VerifiableProducer, new KafkaVersion(0, 9, 0, 1), "10.0.0.2:9092", "t", 1000, cell, 0);
        var current = PeerTools.ConsumerScript(PeerTool.ConsumerPerfTest, new KafkaVersion(3, 9, 0), "10.0.0.2:9092", "t", 1000, "g");
        var perf = PeerTools.ProducerScript(PeerTool.ProducerPerfTest, new KafkaVersion(0, 9, 0, 1), "10.0.0.2:9092", "t", 1000, cell, 5000.4);

        Assert.That(old, Does.Contain("--broker-list 10.0.0.2:9092 --topic t --max-messages 1000 --throughput -1 --acks -1"));
        Assert.That(old, Does.Contain("acks=all\\nlinger.ms=5\\nbatch.size=65536"));
        Assert.That(current, Does.Contain("--bootstrap-server 10.0.0.2:9092").And.Not.Contain("--new-consumer"));
        Assert.That(PeerTools.ConsumerScript(PeerTool.ConsumerPerfTest, new KafkaVersion(0, 9, 0, 1), "b:9092", "t", 1, "g"), Does.Contain("--new-consumer --broker-list b:9092"));
        Assert.That(perf, Does.Contain("--record-size 100 --throughput 5001 --producer-props bootstrap.servers=10.0.0.2:9092 acks=all linger.ms=5 batch.size=65536"));
        Assert.That(Enum.GetValues<PeerTool>().Select(t => PeerTools.Parse(PeerTools.Name(t))), Is.EqualTo(Enum.GetValues<PeerTool>()));
    }
}
