namespace KafkaChaos.Faults;

/// <summary>
/// The key of each option a fault may take, as files spell it: the fault kinds name the ones they read, and the
/// settings' descriptors are made under the same keys, so that a kind's options and their parsers cannot drift.
/// </summary>
public static class FaultOptionKeys
{
    public const string Broker = "broker";
    public const string Partition = "partition";
    public const string AllBrokers = "all_brokers";
    public const string DelayMs = "delay_ms";
    public const string JitterMs = "jitter_ms";
    public const string LossPercent = "loss_percent";
    public const string CrashPoint = "crash_point";
    public const string Lag = "lag";
    public const string NewPartitions = "new_partitions";
    public const string At = "at";
    public const string Every = "every";
    public const string Count = "count";
    public const string Window = "window";
    public const string Duration = "duration";

    /// <summary>When a fault fires and for how long: every kind takes these.</summary>
    public static IReadOnlyList<string> Timing { get; } = [At, Every, Count, Window, Duration];
}
