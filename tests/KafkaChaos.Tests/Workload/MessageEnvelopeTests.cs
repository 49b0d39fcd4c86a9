using CsCheck;
using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.Tests.Workload;

public class MessageEnvelopeTests
{
    [Test]
    public void Encode_ThenDecode_ReturnsTheSameEnvelope()
    {
        var envelope = new MessageEnvelope(Guid.NewGuid(), 7, 123_456_789_012, 1_700_000_000_123_456);
        var value = new byte[256];
        envelope.Encode(value);

        Assert.That(MessageEnvelope.TryDecode(value, out var decoded, out var error), Is.True, error);
        Assert.That(decoded, Is.EqualTo(envelope));
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(43)]
    [TestCase(200)]
    public void TryDecode_AFlippedByte_IsRejected(int index)
    {
        var value = new byte[256];
        new MessageEnvelope(Guid.NewGuid(), 1, 2, 3).Encode(value);
        value[index] ^= 0x01;

        Assert.That(MessageEnvelope.TryDecode(value, out _, out var error), Is.False);
        Assert.That(error, Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public void AnySize_RoundTrips_AndAnySingleBitFlip_IsRejected()
    {
        Gen.Select(Gen.Int[MessageEnvelope.HeaderSize, 4096], Gen.Int[0, int.MaxValue], Gen.Int[0, 7], Gen.Long[0, long.MaxValue])
            .Sample((size, position, bit, sequence) =>
            {
                var envelope = new MessageEnvelope(Guid.NewGuid(), size % 16, sequence, 1_700_000_000_000_000 + sequence % 1_000_000);
                var value = new byte[size];
                envelope.Encode(value);
                var intact = MessageEnvelope.TryDecode(value, out var decoded, out _) && decoded == envelope
                    && MessageEnvelope.ReadSequence(value) == sequence
                    && MessageEnvelope.ReadIntendedSendMicros(value) == envelope.IntendedSendMicros;

                value[position % size] ^= (byte)(1 << bit);
                return intact && !MessageEnvelope.TryDecode(value, out _, out _);
            });
    }

    [TestCase("", 0x00000000u)]
    [TestCase("a", 0xC1D04330u)]
    [TestCase("123456789", 0xE3069283u)]
    [TestCase("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public void Checksum_IsCrc32C(string text, uint expected)
    {
        Assert.That(MessageEnvelope.Checksum(System.Text.Encoding.ASCII.GetBytes(text)), Is.EqualTo(expected));
    }

    [Test]
    public void TryDecode_AChangedFillerByte_IsRejectedWithItsPosition()
    {
        var value = new byte[1024];
        new MessageEnvelope(Guid.NewGuid(), 1, 2, 3).Encode(value);
        value[700] = (byte)'#';

        Assert.That(MessageEnvelope.TryDecode(value, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("filler").And.Contain("700"));
    }

    [Test]
    public void TryDecode_ValueLongerThanAnyEnvelope_IsRejectedWithReason()
    {
        var value = new byte[MessageEnvelope.MaxSize + 1];
        new MessageEnvelope(Guid.NewGuid(), 1, 2, 3).Encode(value.AsSpan(0, MessageEnvelope.MaxSize));

        Assert.That(MessageEnvelope.TryDecode(value, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("longer"));
    }

    [Test]
    public void TryDecode_ShortValue_IsRejectedWithReason()
    {
        Assert.That(MessageEnvelope.TryDecode(new byte[10], out _, out var error), Is.False);
        Assert.That(error, Does.Contain("shorter"));
    }

    [Test]
    public void Encode_BufferSmallerThanHeader_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MessageEnvelope(Guid.Empty, 0, 0, 0).Encode(new byte[MessageEnvelope.HeaderSize - 1]));
    }
}
