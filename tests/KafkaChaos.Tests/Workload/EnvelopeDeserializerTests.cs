using Confluent.Kafka;
using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.Tests.Workload;

public class EnvelopeDeserializerTests
{
    private static readonly SerializationContext ValueContext = new(MessageComponentType.Value, "topic");

    [Test]
    public void Deserialize_AnEncodedValue_ReturnsItsEnvelope()
    {
        var envelope = new MessageEnvelope(Guid.NewGuid(), 3, 42, 1_700_000_000_000_001);
        var value = new byte[100];
        envelope.Encode(value);

        Assert.That(EnvelopeDeserializer.Instance.Deserialize(value, isNull: false, ValueContext), Is.EqualTo(envelope));
    }

    [Test]
    public void Deserialize_ANullValue_ReturnsNull() =>
        Assert.That(EnvelopeDeserializer.Instance.Deserialize(ReadOnlySpan<byte>.Empty, isNull: true, ValueContext), Is.Null);

    [Test]
    public void Deserialize_AnEmptyValue_ReturnsNull() =>
        Assert.That(EnvelopeDeserializer.Instance.Deserialize(ReadOnlySpan<byte>.Empty, isNull: false, ValueContext), Is.Null);

    [Test]
    public void Deserialize_AValueWithAFlippedFillerByte_ReturnsNull()
    {
        var value = new byte[100];
        new MessageEnvelope(Guid.NewGuid(), 3, 42, 7).Encode(value);
        value[^1] ^= 0x20;

        Assert.That(EnvelopeDeserializer.Instance.Deserialize(value, isNull: false, ValueContext), Is.Null);
    }
}
