namespace KafkaChaos.Experiments.Settings;

/// <summary>
/// Every setting of an experiment with a descriptor, in the order they are applied: a setting whose default
/// or check reads another comes after it (the replication factor after the brokers, the duration after the rate).
/// </summary>
public static class SpecSettings
{
    public static IReadOnlyList<SettingDescriptor<ExperimentSpec>> All { get; } =
        [.. ClusterSettings.All, .. TopicSettings.All, .. WorkloadSettings.All, .. ConsumerSettings.All, .. NemesisSettings.All];

    private static readonly Dictionary<string, SettingDescriptor<ExperimentSpec>> ByKey = All.ToDictionary(s => s.Key, StringComparer.Ordinal);

    /// <summary>The descriptor of <paramref name="key"/>, or null for a passed-through (producer.*, broker.*) or unknown key.</summary>
    public static SettingDescriptor<ExperimentSpec>? Of(string key) => ByKey.GetValueOrDefault(key);
}
