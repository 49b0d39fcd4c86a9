namespace KafkaChaos.Experiments.Settings;

/// <summary>
/// One setting, described once: its key in experiment files and results, its command-line flag, its
/// default, the values it takes and its one-line doc. The file loader, the flags, the spec's description,
/// the validator, the per-setting tests and docs/settings.md all read it, so a file and a flag cannot
/// disagree about a setting.
/// </summary>
public abstract class SettingDescriptor
{
    /// <summary>The key, as in files, matrix axes and results.json: <c>topic.partitions</c> (a fault's: <c>delay_ms</c>).</summary>
    public required string Key { get; init; }

    /// <summary>The flag of <c>run</c> and <c>check</c> that sets it: <c>--partitions</c>.</summary>
    public required string Flag { get; init; }

    /// <summary>What it decides, in one line, for help, errors and docs.</summary>
    public required string Doc { get; init; }

    /// <summary>The values it takes, as errors say them: "a whole number 1..1000".</summary>
    public required string Expected { get; init; }

    /// <summary>Values it takes, at the edges of its range (every one, for a choice): for docs, and for the tests that walk every setting.</summary>
    public required IReadOnlyList<string> Samples { get; init; }

    /// <summary>A flag that may stand alone, meaning true (<c>--dedup</c>).</summary>
    public bool IsSwitch { get; init; }

    /// <summary>A setting that cannot be given beside this one (workload.duration excludes workload.messages).</summary>
    public string? Excludes { get; init; }

    /// <summary>The default as a file would spell it, or how it is derived ("3, or the brokers if fewer").</summary>
    public abstract string DefaultText { get; }

    /// <summary>Why <paramref name="text"/> is not a value of this setting, or null.</summary>
    public abstract string? Problem(string text);

    /// <summary>Whether a setting's place is a flag (<c>--partitions</c>) rather than a file position.</summary>
    public static bool IsFlag(string where)
    {
        ArgumentNullException.ThrowIfNull(where);
        return where.StartsWith("--", StringComparison.Ordinal);
    }

    /// <summary>
    /// The one line for a bad value: from a file, its position and the key; from a flag (a place that starts
    /// with <c>--</c>), the flag and the key.
    /// </summary>
    public ExperimentConfigException Error(string text, string where, string? expected = null) => IsFlag(where)
        ? new($"{where}: '{text}' is not a value of {Key}; expected {expected ?? Expected}")
        : new($"{where}: key '{Key}' has value '{text}'; expected {expected ?? Expected}");
}
