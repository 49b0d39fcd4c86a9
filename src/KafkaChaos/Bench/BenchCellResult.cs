namespace KafkaChaos.Bench;

/// <summary>
/// One bench cell: every run, the harness/raw throughput ratios (medians over the alternations), the
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
    double ProducerRatio,
    double ConsumerRatio,
    long PeakWorkingSetBytes,
    long ConsumerRangeRecords = 0)
{
    /// <summary>The maximum sustained rate: the median of <see cref="Sustained"/>, which the paced shares are of.</summary>
    public double SustainedRate => Statistics.Median(Sustained.Select(r => r.MessagesPerSecond));
}
