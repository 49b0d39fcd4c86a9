namespace KafkaChaos.Bench;

/// <summary>
/// One bench cell: every run, the harness/raw throughput ratios (round by round, and their medians), the
/// raw client's sustained runs (unthrottled, its consumer alongside) whose median the paced shares are of, and
/// how many records the consumer runs had to read (what the last unthrottled harness run wrote). A
/// consumer run reads more than that when a fault made its group rebalance and it read again from the
/// last commit.
/// </summary>
public sealed record BenchCellResult(
    BenchCell Cell,
    IReadOnlyList<RunMetrics> RawProducer,
    IReadOnlyList<RunMetrics> HarnessProducer,
    IReadOnlyList<PacedResult> Paced,
    IReadOnlyList<RunMetrics> RawConsumer,
    IReadOnlyList<RunMetrics> HarnessConsumer,
    IReadOnlyList<RunMetrics> Sustained,
    long PeakWorkingSetBytes,
    long ConsumerRangeRecords = 0)
{
    /// <summary>Each producer peer's unthrottled runs, alternated with both clients' (<see cref="PeerTools.Producers"/>); empty where no peers ran.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RunMetrics>> PeerProducers { get; init; } = new Dictionary<string, IReadOnlyList<RunMetrics>>();

    /// <summary>Each consumer peer's runs over as many records, alternated with both clients'.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RunMetrics>> PeerConsumers { get; init; } = new Dictionary<string, IReadOnlyList<RunMetrics>>();

    /// <summary>The maximum sustained rate: the median of <see cref="Sustained"/>, which the paced shares are of.</summary>
    public double SustainedRate => Statistics.Median(Sustained.Select(r => r.MessagesPerSecond));

    /// <summary>Harness over raw producer throughput in each alternation round.</summary>
    public IReadOnlyList<double> ProducerRounds => RoundRatios(HarnessProducer, RawProducer, r => r.MessagesPerSecond);

    /// <summary>Harness over raw consumer throughput in each alternation round.</summary>
    public IReadOnlyList<double> ConsumerRounds => RoundRatios(HarnessConsumer, RawConsumer, r => r.MessagesPerSecond);

    public double ProducerRatio => Statistics.Median(ProducerRounds);

    public double ConsumerRatio => Statistics.Median(ConsumerRounds);

    /// <summary>
    /// Harness over raw, round by round: run i of each client ran next to the other's run i, so their
    /// ratio cancels what the machine did meanwhile. A round without the figure on both sides, or with
    /// nothing measured on the raw side, has no ratio and is left out.
    /// </summary>
    internal static double[] RoundRatios(IReadOnlyList<RunMetrics> harness, IReadOnlyList<RunMetrics> raw, Func<RunMetrics, double?> figure) =>
        harness.Zip(raw, (h, r) => figure(h) is { } hv && figure(r) is { } rv && rv > 0 ? hv / rv : double.NaN).Where(x => !double.IsNaN(x)).ToArray();
}
