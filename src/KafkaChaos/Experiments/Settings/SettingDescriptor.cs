namespace KafkaChaos.Experiments.Settings;

/// <summary>
/// One setting, described once: its key in experiment files and results, its command-line flag, its
/// default, the values it takes and its one-line doc. The file loader, the flags, the spec's description,
/// the per-setting tests and the docs all read it, so a file and a flag cannot disagree about a setting.
/// </summary>
public abstract class SettingDescriptor
{
    /// <summary>The flat key, as in files, matrix axes and results.json: <c>cluster.mode</c>.</summary>
    public required string Key { get; init; }

    /// <summary>The flag of <c>run</c> and <c>check</c> that sets it: <c>--cluster-mode</c>.</summary>
    public required string Flag { get; init; }

    /// <summary>What it decides, in one line, for help, errors and docs.</summary>
    public required string Doc { get; init; }

    /// <summary>The values it takes, as errors say them: "auto, kraft or zookeeper".</summary>
    public required string Expected { get; init; }

    /// <summary>The default as a file would spell it.</summary>
    public abstract string DefaultText { get; }

    /// <summary>Why <paramref name="text"/> is not a value of this setting, or null.</summary>
    public abstract string? Problem(string text);

    /// <summary>The one line for a bad value from a file: where, key, value and what is expected.</summary>
    public ExperimentConfigException FileError(string text, string where) => new($"{where}: key '{Key}' has value '{text}'; expected {Expected}");

    /// <summary>The one line for a bad value from the flag.</summary>
    public ExperimentConfigException FlagError(string text) => new($"{Flag}: '{text}' is not a value of {Key}; expected {Expected}");
}
