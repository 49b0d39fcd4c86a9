using System.Globalization;

namespace KafkaChaos.Bench;

/// <summary>One point of the scale sweep: the topic's partitions, the producers sending side by side, and the messages they send in all.</summary>
public sealed record ScalePoint(int Partitions, int Producers, long Messages)
{
    public string Name => string.Create(CultureInfo.InvariantCulture, $"p={Partitions} producers={Producers} messages={Messages:N0}");

    /// <summary>The sweep's three axes: each one's value at a point, and whether a point lies on it (differs from <paramref name="baseline"/> in that axis alone, or is the baseline).</summary>
    public static IReadOnlyList<(string Name, Func<ScalePoint, double> Value, Func<ScalePoint, bool> OnAxis)> Axes(ScalePoint baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return
        [
            ("partitions", p => p.Partitions, p => p.Producers == baseline.Producers && p.Messages == baseline.Messages),
            ("producers", p => p.Producers, p => p.Partitions == baseline.Partitions && p.Messages == baseline.Messages),
            ("messages", p => p.Messages, p => p.Partitions == baseline.Partitions && p.Producers == baseline.Producers),
        ];
    }
}
