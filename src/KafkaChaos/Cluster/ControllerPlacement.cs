using System.Globalization;

namespace KafkaChaos.Cluster;

/// <summary>
/// Where a KRaft cluster's controllers run: on every broker (combined, each node a voter), or on 1, 3 or 5
/// nodes of their own beside the brokers.
/// </summary>
/// <remarks>
/// A quorum needs a majority of its voters; an even count adds a node without adding a failure it
/// survives, and two voters lose the majority to any one fault, so only odd counts are accepted.
/// </remarks>
public sealed record ControllerPlacement(int SeparateControllers)
{
    public const string CombinedName = "combined";

    /// <summary>The voter counts a quorum of separate controllers may have.</summary>
    public static IReadOnlyList<int> QuorumSizes { get; } = [1, 3, 5];

    public static ControllerPlacement Combined { get; } = new(0);

    public bool IsCombined => SeparateControllers == 0;

    /// <summary>The default: combined for up to 3 brokers, three controllers of their own for more.</summary>
    public static ControllerPlacement DefaultFor(int brokers) => brokers <= 3 ? Combined : new ControllerPlacement(3);

    /// <summary>How many voters the quorum has with <paramref name="brokers"/> brokers.</summary>
    public int Voters(int brokers) => IsCombined ? brokers : SeparateControllers;

    /// <summary>"combined", or a voter count of 1, 3 or 5.</summary>
    public static bool TryParse(string? text, out ControllerPlacement placement)
    {
        placement = Combined;
        if (text == CombinedName)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && QuorumSizes.Contains(count))
        {
            placement = new ControllerPlacement(count);
            return true;
        }

        return false;
    }

    /// <summary>Why this placement cannot form a quorum that survives a fault with <paramref name="brokers"/> brokers, or null.</summary>
    public string? QuorumProblem(int brokers) =>
        IsCombined && brokers > 1 && brokers % 2 == 0
            ? $"combined with {brokers} brokers makes {brokers} voters, and an even quorum loses its majority to as many faults as one node fewer "
                + $"({(brokers == 2 ? "with 2, to any one fault" : $"with {brokers}, to {brokers / 2}")}); use an odd broker count, or 1, 3 or 5 controllers of their own"
            : null;

    public override string ToString() => IsCombined ? CombinedName : SeparateControllers.ToString(CultureInfo.InvariantCulture);
}
