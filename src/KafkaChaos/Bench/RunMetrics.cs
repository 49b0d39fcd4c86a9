using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// What one benchmark run cost and achieved: throughput (payload and wire), CPU and allocation per
/// message, garbage collections, failed deliveries, latency (from the intended send time) when the run
/// was paced, and what happened to the cell's fault when it has one.
/// </summary>
public sealed record RunMetrics(
    string Mode,
    long Messages,
    double Seconds,
    double MessagesPerSecond,
    double PayloadMegabytesPerSecond,
    double WireMegabytesPerSecond,
    double CpuMicrosPerMessage,
    double AllocatedBytesPerMessage,
    int Gen0,
    int Gen1,
    int Gen2,
    LatencySummary? Latency,
    long FailedDeliveries = 0,
    string? Fault = null);
