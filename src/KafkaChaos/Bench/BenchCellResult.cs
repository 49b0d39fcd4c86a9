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

/// <summary>Latency at a share of the raw client's maximum rate, for both clients.</summary>
public sealed record PacedResult(double ShareOfMax, double Rate, RunMetrics Raw, RunMetrics Harness);
