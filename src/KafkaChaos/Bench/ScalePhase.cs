namespace KafkaChaos.Bench;

/// <summary>
/// What one phase of a scale point cost the process: its seconds, its CPU per message (every thread, the
/// client library's included), the peak working set while it ran, and how far that peak rose above the
/// working set it started from.
/// </summary>
public sealed record ScalePhase(double Seconds, double CpuMicrosPerMessage, long PeakWorkingSetBytes, long AddedWorkingSetBytes);
