using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// What one benchmark run cost and achieved: throughput (payload and wire), CPU and allocation per
/// message, garbage collections and the time they paused the process, failed deliveries, and what happened to the cell's fault when it has
/// one. A paced run adds its latencies from the intended send time: produce-to-ack, and end-to-end to
/// the consumer that read alongside. A run with a consumer says whether it read every partition up to
/// its end offset, or stopped when nothing more arrived (a log truncated under a fault).
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
    LatencySummary? ProduceToAck,
    long FailedDeliveries = 0,
    string? Fault = null,
    LatencySummary? EndToEnd = null,
    bool? ReadToEnd = null,
    double GcPauseMilliseconds = 0);
