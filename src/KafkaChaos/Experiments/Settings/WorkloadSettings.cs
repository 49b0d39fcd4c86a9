using KafkaChaos.Workload;

namespace KafkaChaos.Experiments.Settings;

/// <summary>What the producers send, how much of it, and how fast.</summary>
public static class WorkloadSettings
{
    /// <summary>The most producer or consumer instances a run has.</summary>
    public const int MaxClients = 16;

    /// <summary>The highest rate, in messages per second (0 is unthrottled).</summary>
    public const double MaxRate = 1e7;

    /// <summary>The most messages a run sends, given as a count or as a duration at the rate.</summary>
    public const long MaxMessages = 1_000_000_000;

    public static SettingDescriptor<ExperimentSpec, long> Messages { get; } = SettingKinds.Whole(
        new SettingKinds.Facts<ExperimentSpec, long>("workload.messages", "--messages", "messages to send", ExperimentSpec.Default,
            s => s.Messages, (s, v) => s with { Messages = v }),
        1, MaxMessages);

    public static SettingDescriptor<ExperimentSpec, double> Rate { get; } = SettingKinds.Number(
        new SettingKinds.Facts<ExperimentSpec, double>("workload.rate", "--rate", "target send rate, messages per second (0: unthrottled)", ExperimentSpec.Default,
            s => s.RatePerSecond, (s, v) => s with { RatePerSecond = v }),
        0, MaxRate);

    /// <summary>Read after the rate: it sets the message count to what the rate sends in that time.</summary>
    public static SettingDescriptor<ExperimentSpec, TimeSpan?> Duration { get; } = SettingKinds.OptionalDuration(
        new SettingKinds.Facts<ExperimentSpec, TimeSpan?>("workload.duration", "--duration", "how long to send at the rate, instead of a message count", ExperimentSpec.Default,
            _ => null, (s, v) => v is { } d ? s with { Messages = (long)Math.Ceiling(s.RatePerSecond * d.TotalSeconds) } : s)
        {
            Excludes = "workload.messages",
            Described = false,
            Conflict = (s, v) => v is { } d && s.RatePerSecond > 0 && s.RatePerSecond * d.TotalSeconds <= MaxMessages ? null
                : "a rate above 0 (workload.rate) to send at, and at most 10^9 messages in all",
        },
        TimeSpan.FromSeconds(1), TimeSpan.FromHours(24));

    public static SettingDescriptor<ExperimentSpec, int> Producers { get; } = SettingKinds.Whole(
        new SettingKinds.Facts<ExperimentSpec, int>("workload.producers", "--producers", "producer instances; each has its own identity and sequences, and sends its share of the messages and rate",
            ExperimentSpec.Default, s => s.Producers, (s, v) => s with { Producers = v }),
        1, MaxClients);

    public static SettingDescriptor<ExperimentSpec, int> MessageSize { get; } = SettingKinds.Whole(
        new SettingKinds.Facts<ExperimentSpec, int>("workload.message_size", "--message-size", "bytes per message, the tool's envelope included", ExperimentSpec.Default,
            s => s.MessageSize, (s, v) => s with { MessageSize = v }),
        MessageEnvelope.HeaderSize, 1 << 20);

    public static SettingDescriptor<ExperimentSpec, KeyStrategy> Keys { get; } = SettingKinds.Choice(
        new SettingKinds.Facts<ExperimentSpec, KeyStrategy>("workload.keys", "--keys", "message keys: none (the partitioner spreads them), the sequence, one fixed key, or random from the seed (the same seed, the same keys)",
            ExperimentSpec.Default, s => s.Keys, (s, v) => s with { Keys = v }));

    public static SettingDescriptor<ExperimentSpec, bool> ResendOnRestart { get; } = SettingKinds.Choice(
        new SettingKinds.Facts<ExperimentSpec, bool>("workload.resend_on_restart", "--resend-on-restart",
            "after restart-producer: none (the new producer sends only the rest of the schedule) or unknown (it first resends the killed one's unknown sends, under their sequences)",
            ExperimentSpec.Default, s => s.ResendUnknownOnRestart, (s, v) => s with { ResendUnknownOnRestart = v }),
        [(false, "none"), (true, "unknown")]);

    public static IReadOnlyList<SettingDescriptor<ExperimentSpec>> All { get; } = [Messages, Rate, Duration, Producers, MessageSize, Keys, ResendOnRestart];
}
