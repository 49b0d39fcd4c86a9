namespace KafkaChaos.Bench;

/// <summary>
/// The clients Kafka tests and measures itself with, all shipped in the distribution the brokers run
/// from: the verifiable clients of its system tests, which track every acknowledgement and every
/// record read as the harness does, and the perf tests, which track nothing.
/// </summary>
public enum PeerTool
{
    /// <summary><c>kafka-verifiable-producer.sh</c>: a JSON line per acknowledgement or failure.</summary>
    VerifiableProducer,

    /// <summary><c>kafka-producer-perf-test.sh</c>: throughput and produce-to-ack latency, nothing tracked.</summary>
    ProducerPerfTest,

    /// <summary><c>kafka-consumer-perf-test.sh</c>: read throughput, nothing checked.</summary>
    ConsumerPerfTest,

    /// <summary><c>kafka-verifiable-consumer.sh</c>: a JSON line per batch read and per commit.</summary>
    VerifiableConsumer,
}
