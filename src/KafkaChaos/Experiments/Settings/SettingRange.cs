using System.Globalization;

namespace KafkaChaos.Experiments.Settings;

/// <summary>
/// The range of a whole-number setting, stated once: the file loader refuses a value outside it while it
/// reads the file, and the spec validator refuses it however the spec was made (flags, a bench file), with
/// the same bounds.
/// </summary>
public sealed record SettingRange(string Key, long Min, long Max)
{
    public static SettingRange Partitions { get; } = new("topic.partitions", 1, 1000);
    public static SettingRange Messages { get; } = new("workload.messages", 1, 1_000_000_000);
    public static SettingRange MessageSize { get; } = new("workload.message_size", Workload.MessageEnvelope.HeaderSize, 1 << 20);
    public static SettingRange ProcessingMs { get; } = new("consumer.processing_ms", 0, 60_000);
    public static SettingRange AutoCommitIntervalMs { get; } = new("consumer.auto_commit_interval_ms", 1, 600_000);

    /// <summary>The highest rate, in messages per second (0 is unthrottled).</summary>
    public const double MaxRate = 1e7;

    /// <summary>"5000 is above 1000", or null inside the range.</summary>
    public string? Problem(double value) =>
        value < Min ? $"{Format(value)} is below {Min.ToString(CultureInfo.InvariantCulture)}"
        : value > Max ? $"{Format(value)} is above {Max.ToString(CultureInfo.InvariantCulture)}"
        : null;

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
