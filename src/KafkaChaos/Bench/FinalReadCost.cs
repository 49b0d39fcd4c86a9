namespace KafkaChaos.Bench;

/// <summary>
/// What the final read adds to a run of <see cref="Messages"/> messages: reading the whole topic once
/// more, and verifying a journal that holds it, against verifying the same journal without it.
/// <see cref="Exact"/>: the final read found every message sent, once, and the checker counted nothing lost.
/// </summary>
public sealed record FinalReadCost(
    long Messages, int MessageSize, int Partitions, double ReadSeconds, double VerifySeconds, double VerifyWithoutFinalReadSeconds, bool Exact)
{
    public double MessagesPerSecond => Messages / ReadSeconds;

    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"final read of {Messages:N0} messages ({MessageSize} B, {Partitions} partitions): {ReadSeconds:0.00} s ({MessagesPerSecond:N0} msgs/s); "
        + $"verify {VerifySeconds:0.00} s with it, {VerifyWithoutFinalReadSeconds:0.00} s without{(Exact ? "" : "; COUNTS WRONG")}");
}
