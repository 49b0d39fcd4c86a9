namespace KafkaChaos.Workload;

/// <summary>Percentiles of one latency kind, in microseconds.</summary>
public sealed record LatencySummary(long Count, long P50, long P90, long P99, long P999, long P9999, long Max)
{
    /// <summary>No samples: every percentile is 0 and means nothing; <see cref="Count"/> says so.</summary>
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);
}
