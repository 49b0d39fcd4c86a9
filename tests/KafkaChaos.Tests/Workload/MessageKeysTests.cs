using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.Tests.Workload;

/// <summary>Message keys by strategy: random keys come from the seed, so a seed replays the same keys and partitions.</summary>
public class MessageKeysTests
{
    [Test]
    public void RandomKeys_AreTheSeedsOwn_AndTheSameForTheSameMessage()
    {
        var keys = new MessageKeys(KeyStrategy.Random, 42);
        var again = new MessageKeys(KeyStrategy.Random, 42);
        var other = new MessageKeys(KeyStrategy.Random, 43);

        var sample = Enumerable.Range(0, 1000).Select(s => Convert.ToHexString(keys.For(0, s)!)).ToList();

        Assert.That(Enumerable.Range(0, 1000).Select(s => Convert.ToHexString(again.For(0, s)!)), Is.EqualTo(sample), "the same seed, the same keys");
        Assert.That(Enumerable.Range(0, 1000).Count(s => Convert.ToHexString(other.For(0, s)!) == sample[s]), Is.Zero, "another seed, other keys");
        Assert.That(Enumerable.Range(0, 1000).Count(s => Convert.ToHexString(keys.For(1, s)!) == sample[s]), Is.Zero, "another producer, other keys");
        Assert.That(sample.Distinct().Count(), Is.EqualTo(1000), "no two messages of a producer share a random key");
    }

    [Test]
    public void RandomKeys_SpreadOverPartitionsLikeRandomOnes()
    {
        // librdkafka's default partitioner hashes the key; the low bits of a well-mixed key spread alike.
        var keys = new MessageKeys(KeyStrategy.Random, 7);
        var perPartition = Enumerable.Range(0, 30_000).GroupBy(s => (int)(BitConverter.ToUInt64(keys.For(0, s)!) % 3)).Select(g => g.Count()).ToList();

        Assert.That(perPartition, Has.Count.EqualTo(3));
        Assert.That(perPartition, Has.All.InRange(9_500, 10_500));
    }

    [Test]
    public void OtherStrategies_GiveTheirKeysWhateverTheSeed()
    {
        Assert.That(new MessageKeys(KeyStrategy.Sequence, 1).For(3, 258), Is.EqualTo(BitConverter.GetBytes(258L)));
        Assert.That(new MessageKeys(KeyStrategy.Fixed, 1).For(3, 258), Is.EqualTo("kafka-chaos"u8.ToArray()));
        Assert.That(new MessageKeys(KeyStrategy.Fixed, 2).For(0, 0), Is.EqualTo(new MessageKeys(KeyStrategy.Fixed, 1).For(3, 258)));
        Assert.That(new MessageKeys(KeyStrategy.None, 1).For(3, 258), Is.Null);
    }
}
