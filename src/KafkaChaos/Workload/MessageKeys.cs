using System.Buffers.Binary;

namespace KafkaChaos.Workload;

/// <summary>
/// The key each message is sent with, by the cell's key strategy. Random keys are a function of the run's seed
/// and the message's producer and sequence, not of a shared generator: the same seed gives the same keys, and
/// so the same partitions, whatever order the producer threads run in, and a resent message keeps its key.
/// </summary>
public sealed class MessageKeys(KeyStrategy strategy, int seed)
{
    private static readonly byte[] FixedKey = "kafka-chaos"u8.ToArray();

    public KeyStrategy Strategy => strategy;

    public static MessageKeys None { get; } = new(KeyStrategy.None, 0);

    /// <summary>The key of sequence <paramref name="sequence"/> of producer <paramref name="producer"/>; null for no key.</summary>
    public byte[]? For(int producer, long sequence) => strategy switch
    {
        KeyStrategy.Sequence => BitConverter.GetBytes(sequence),
        KeyStrategy.Fixed => FixedKey,
        KeyStrategy.Random => Random(producer, sequence),
        _ => null,
    };

    /// <summary>SplitMix64 over the seed, the producer and the sequence: well spread, and the same on every machine.</summary>
    private byte[] Random(int producer, long sequence)
    {
        var z = unchecked(((ulong)(uint)seed << 32) ^ ((ulong)(uint)producer * 0x9E3779B97F4A7C15UL) ^ (ulong)sequence);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(key, z);
        return key;
    }
}
