using Confluent.Kafka;

namespace KafkaChaos.Workload;

/// <summary>
/// Where a verifying consumer gets its client. The tool's is librdkafka's (<see cref="LibrdkafkaConsumerFactory"/>);
/// the unit tests give a consumer one over records held in memory, so that every commit strategy can be
/// crashed at every point without a broker.
/// </summary>
public interface IConsumerClientFactory
{
    IConsumer<Ignore, MessageEnvelope?> Create(IReadOnlyDictionary<string, string> config, ConsumerCallbacks callbacks);
}
