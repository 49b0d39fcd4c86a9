using Confluent.Kafka;

namespace KafkaChaos.Workload;

/// <summary>
/// Decodes a record's value into its <see cref="MessageEnvelope"/> in the client's own buffer; null when
/// the value is absent or is not an intact envelope.
/// </summary>
/// <remarks>
/// The default deserializer copies every value into a new byte array, which the verifying consumer only
/// decoded and dropped: an allocation and a copy per record, and the collections they cause, on the
/// thread that bounds how fast the consumer reads (docs/bench.md).
/// </remarks>
internal sealed class EnvelopeDeserializer : IDeserializer<MessageEnvelope?>
{
    public static readonly EnvelopeDeserializer Instance = new();

    public MessageEnvelope? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
        !isNull && MessageEnvelope.TryDecode(data, out var envelope, out _) ? envelope : null;
}
