namespace KafkaChaos.Bench;

/// <summary>One bench cell: every run, and the harness/raw throughput ratios (medians over the alternations).</summary>
public sealed record BenchCellResult(
    BenchCell Cell,
    IReadOnlyList<RunMetrics> RawProducer,
    IReadOnlyList<RunMetrics> HarnessProducer,
    IReadOnlyList<PacedResult> Paced,
    IReadOnlyList<RunMetrics> RawConsumer,
    IReadOnlyList<RunMetrics> HarnessConsumer,
    double ProducerRatio,
    double ConsumerRatio,
    long PeakWorkingSetBytes);
