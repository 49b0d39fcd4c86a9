using System.Globalization;
using KafkaChaos.Cluster;
using KafkaChaos.Faults;
using KafkaChaos.Workload;

namespace KafkaChaos.Experiments.Settings;

/// <summary>
/// The options of one fault, as an entry of a file's <c>faults</c> and as <c>run</c>'s fault flags: both build
/// the fault through <see cref="Build"/>, so that a fault from a file and from the flags is the same fault.
/// </summary>
public static class FaultSettings
{
    /// <summary>Every option at its default; a file or the flags name the kind.</summary>
    public static FaultSpec Template { get; } = new() { Kind = "" };

    public static SettingDescriptor<FaultSpec, int?> Broker { get; } = new()
    {
        Key = FaultOptionKeys.Broker,
        Flag = "--broker",
        Doc = "the broker id (1..N) a broker fault hits",
        Expected = $"a whole number 1..{ClusterSpec.MaxBrokers}",
        Samples = ["1", ClusterSpec.MaxBrokers.ToString(CultureInfo.InvariantCulture)],
        Default = null,
        TryParse = (string text, out int? broker) =>
        {
            broker = int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) && id is >= 1 and <= ClusterSpec.MaxBrokers ? id : null;
            return broker is not null;
        },
        Format = broker => broker?.ToString(CultureInfo.InvariantCulture) ?? "random",
        Get = f => f.Broker,
        Set = (f, v) => f with { Broker = v },
    };

    /// <summary>A number, or random to draw one from the run's seed; unset, leader faults aim at partition 0.</summary>
    public static SettingDescriptor<FaultSpec, (int? Number, bool Random)> Partition { get; } = new()
    {
        Key = FaultOptionKeys.Partition,
        Flag = "--partition",
        Doc = "the partition whose leader kill-leader, kill-leader-ahead, isolate-leader and truncate-to-high-watermark hit, or random",
        Expected = "a whole number 0..999 or random",
        Samples = ["0", "999", "random"],
        Default = (null, false),
        DefaultDoc = "0",
        TryParse = (string text, out (int? Number, bool Random) partition) =>
        {
            partition = text == "random" ? (null, true)
                : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 999 ? (number, false)
                : (null, false);
            return partition.Random || partition.Number is not null;
        },
        Format = partition => partition.Random ? "random" : partition.Number?.ToString(CultureInfo.InvariantCulture) ?? "0",
        Get = f => (f.Partition, f.RandomPartition),
        Set = (f, v) => f with { Partition = v.Number, RandomPartition = v.Random },
    };

    public static SettingDescriptor<FaultSpec, bool> AllBrokers { get; } = SettingKinds.Switch(
        Facts(FaultOptionKeys.AllBrokers, "--all-brokers", "net-delay and net-loss on every broker instead of one", f => f.AllBrokers, (f, v) => f with { AllBrokers = v }));

    public static SettingDescriptor<FaultSpec, int> DelayMs { get; } = SettingKinds.Whole(
        Facts(FaultOptionKeys.DelayMs, "--delay-ms", "net-delay: the latency added, in milliseconds", f => f.DelayMs, (f, v) => f with { DelayMs = v }), 1, 60_000);

    public static SettingDescriptor<FaultSpec, int> JitterMs { get; } = SettingKinds.Whole(
        Facts(FaultOptionKeys.JitterMs, "--jitter-ms", "net-delay: the jitter around it, in milliseconds", f => f.JitterMs, (f, v) => f with { JitterMs = v }), 0, 60_000);

    public static SettingDescriptor<FaultSpec, double> LossPercent { get; } = SettingKinds.Number(
        Facts(FaultOptionKeys.LossPercent, "--loss-percent", "net-loss: the share of packets dropped, in percent", f => f.LossPercent, (f, v) => f with { LossPercent = v }), 0, 100, minExclusive: true);

    public static SettingDescriptor<FaultSpec, CrashPoint> CrashPoint { get; } = SettingKinds.Choice(
        Facts(FaultOptionKeys.CrashPoint, "--crash-point", "where restart-consumer kills the consumer", f => f.CrashPoint, (f, v) => f with { CrashPoint = v }));

    public static SettingDescriptor<FaultSpec, TimeSpan> Lag { get; } = SettingKinds.Duration(
        Facts(FaultOptionKeys.Lag, "--lag", "kill-leader-ahead: how long the followers are kept from fetching before the leader dies", f => f.Lag, (f, v) => f with { Lag = v }),
        TimeSpan.FromMilliseconds(1), LeaderKillAhead.MaxLag);

    public static SettingDescriptor<FaultSpec, int> NewPartitions { get; } = SettingKinds.Whole(
        Facts(FaultOptionKeys.NewPartitions, "--new-partitions", "add-partitions: how many partitions each firing adds", f => f.NewPartitions, (f, v) => f with { NewPartitions = v }), 1, 1000);

    public static SettingDescriptor<FaultSpec, TimeSpan> At { get; } = SettingKinds.Duration(
        Facts(FaultOptionKeys.At, "--fault-at", "when the fault fires, from the start of the workload", f => f.When.At, (f, v) => f with { When = f.When with { At = v } }),
        TimeSpan.Zero, TimeSpan.FromHours(24));

    public static SettingDescriptor<FaultSpec, TimeSpan?> Every { get; } = SettingKinds.OptionalDuration(
        Facts(FaultOptionKeys.Every, "--fault-every", "fire again at this interval, count times in all", f => f.When.Every, (f, v) => f with { When = f.When with { Every = v } }),
        TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(24));

    public static SettingDescriptor<FaultSpec, int> Count { get; } = SettingKinds.Whole(
        Facts(FaultOptionKeys.Count, "--fault-count", "how many times the fault fires (with every, or at random in a file's window)", f => f.When.Count, (f, v) => f with { When = f.When with { Count = v } }),
        1, 1000);

    public static SettingDescriptor<FaultSpec, TimeSpan> Duration { get; } = SettingKinds.Duration(
        Facts(FaultOptionKeys.Duration, "--fault-duration", "how long the fault is held once verified, before it is healed (results.json's fault_windows has the real phases)",
            f => f.Duration, (f, v) => f with { Duration = v }),
        TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(24));

    /// <summary>
    /// <paramref name="fault"/>'s values of the options <paramref name="keys"/>, as a file's fault entry gives them, in
    /// that order; options with nothing to say are left out. Experiment files written by the tool and schedule.json both read it.
    /// </summary>
    public static IReadOnlyList<(string Key, string Value)> Describe(FaultSpec fault, IEnumerable<string> keys) =>
        [.. keys.Distinct(StringComparer.Ordinal).Select(key => All.Single(s => s.Key == key))
            .Select(s => (s.Key, Value: s.Describe(fault))).Where(o => o.Value.Length > 0)];

    public static IReadOnlyList<SettingDescriptor<FaultSpec>> All { get; } =
        [Broker, Partition, AllBrokers, DelayMs, JitterMs, LossPercent, CrashPoint, Lag, NewPartitions, At, Every, Count, Duration];

    /// <summary>The fault of kind <paramref name="kind"/> with the given options (key → value and where it came from) over <paramref name="template"/>'s.</summary>
    /// <exception cref="ExperimentConfigException">Naming where a bad value came from, its key and the value.</exception>
    public static FaultSpec Build(string kind, IReadOnlyDictionary<string, (string Value, string Where)> options, FaultSpec? template = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var fault = (template ?? Template) with { Kind = kind };
        var taken = FaultKinds.Of(kind).Options.Concat(FaultOptionKeys.Timing).ToHashSet(StringComparer.Ordinal);
        foreach (var setting in All)
        {
            if (!options.TryGetValue(setting.Key, out var given))
            {
                continue;
            }

            if (!taken.Contains(setting.Key))
            {
                throw new ExperimentConfigException(SettingDescriptor.IsFlag(given.Where)
                    ? $"{given.Where}: {kind} takes no {setting.Key}; it takes {Listed(kind)}"
                    : $"{given.Where}: key '{setting.Key}' does not apply to {kind}, which takes {Listed(kind)}");
            }

            fault = setting.Apply(fault, given);
        }

        return fault;
    }

    /// <summary>The options <paramref name="kind"/> takes, as errors list them.</summary>
    public static string Listed(string kind) => Wording.Listed([.. FaultKinds.Of(kind).Options, .. FaultOptionKeys.Timing]);

    private static SettingKinds.Facts<FaultSpec, T> Facts<T>(string key, string flag, string doc, Func<FaultSpec, T> get, Func<FaultSpec, T, FaultSpec> set) =>
        new(key, flag, doc, Template, get, set);
}
