using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// What one benchmark run cost and achieved: throughput (payload and wire), CPU and allocation per
/// message, garbage collections, and latency (from the intended send time) when the run was paced.
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
    LatencySummary? Latency);
