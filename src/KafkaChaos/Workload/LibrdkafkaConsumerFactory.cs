using Confluent.Kafka;

namespace KafkaChaos.Workload;

/// <summary>librdkafka's consumer, reading envelopes, with the per-record fields the tool never reads turned off.</summary>
public sealed class LibrdkafkaConsumerFactory : IConsumerClientFactory
{
    public static readonly LibrdkafkaConsumerFactory Instance = new();

    public IConsumer<Ignore, MessageEnvelope?> Create(IReadOnlyDictionary<string, string> config, ConsumerCallbacks callbacks)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        return new ConsumerBuilder<Ignore, MessageEnvelope?>(WithoutUnusedFields(config))
            .SetValueDeserializer(EnvelopeDeserializer.Instance)
            .SetLogHandler((_, m) => callbacks.Log(m))
            .SetErrorHandler((_, e) => callbacks.Error(e))
            .SetPartitionsAssignedHandler((_, partitions) => callbacks.Assigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => callbacks.Revoked([.. partitions.Select(p => p.TopicPartition)]))
            .SetPartitionsLostHandler((_, partitions) => callbacks.Revoked([.. partitions.Select(p => p.TopicPartition)]))
            .Build();
    }

    /// <summary>
    /// The settings with the per-record fields a verifying consumer never reads turned off: the client would
    /// otherwise decode the topic's name into a new string, and look up the timestamp and the headers, for
    /// every record. The consumer names the topic from its own field instead.
    /// </summary>
    private static Dictionary<string, string> WithoutUnusedFields(IReadOnlyDictionary<string, string> config) =>
        new(config, StringComparer.Ordinal) { [ConfigPropertyNames.Consumer.ConsumeResultFields] = "none" };
}
