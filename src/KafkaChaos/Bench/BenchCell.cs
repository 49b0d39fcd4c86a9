using System.Globalization;

namespace KafkaChaos.Bench;

/// <summary>One point of a benchmark sweep: message size, acks, linger and partitions.</summary>
public sealed record BenchCell(int MessageSize, string Acks, int LingerMs, int Partitions)
{
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{MessageSize}B acks={Acks} linger={LingerMs}ms p={Partitions}");
}
