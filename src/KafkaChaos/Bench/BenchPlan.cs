namespace KafkaChaos.Bench;

/// <summary>
/// What one <c>kafka-chaos bench</c> invocation measures: the cluster, how each cell is timed, and the
/// cells of the sweep, from a bench file (<see cref="BenchFile"/>) or from the command line's flags.
/// </summary>
/// <param name="Source">Where the plan came from (a file path, or "command line"), for messages and the report.</param>
/// <param name="Brokers">Brokers in the bench cluster.</param>
/// <param name="Alternations">Raw/harness alternations per measurement; medians are reported.</param>
/// <param name="RunDuration">Length of an unthrottled run; its message count is the warm-up raw rate times this.</param>
/// <param name="ThroughputMessages">Fixes the messages per unthrottled run instead; null: from <paramref name="RunDuration"/>.</param>
/// <param name="PacedDuration">Length of the schedule of each paced (latency) run.</param>
/// <param name="PacedShares">The shares of the raw client's maximum sustained rate (with its consumer alongside) at which latency is measured.</param>
/// <param name="Seed">Seeds the faults' random choices (which broker, which partition).</param>
/// <param name="Cells">The sweep, in order.</param>
public sealed record BenchPlan(
    string Source,
    int Brokers,
    int Alternations,
    TimeSpan RunDuration,
    long? ThroughputMessages,
    TimeSpan PacedDuration,
    IReadOnlyList<double> PacedShares,
    int Seed,
    IReadOnlyList<BenchCell> Cells)
{
    /// <summary>
    /// Whether Kafka's own clients (<see cref="PeerTool"/>) run in the rounds of every cell without a fault,
    /// from the brokers' image (<c>runs.peers</c>, <c>--peers</c>).
    /// </summary>
    public bool Peers { get; init; }

    public const int MaxCells = 200;
    public const int MinAlternations = 3;
    public const int MaxAlternations = 25;
    public const int MinMessages = 1000;
    public const int MaxMessages = 1_000_000_000;
    public static readonly TimeSpan MinRunDuration = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRunDuration = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultFaultAt = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultFaultDuration = TimeSpan.FromSeconds(5);
    public static readonly IReadOnlyList<double> DefaultPacedShares = [0.1, 0.5, 0.8];

    /// <summary>Reads a share of the maximum rate: a number above 0 and at most 1, or a percentage such as 50%.</summary>
    public static bool TryParseShare(string text, out double share)
    {
        ArgumentNullException.ThrowIfNull(text);
        var percent = text.EndsWith('%');
        share = 0;
        if (!double.TryParse(percent ? text[..^1] : text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        share = percent ? value / 100 : value;
        return share is > 0 and <= 1;
    }
}
