namespace KafkaChaos.Experiments.Settings;

/// <summary>What the run waits for around its faults before it reads the topic back.</summary>
public static class NemesisSettings
{
    public static SettingDescriptor<ExperimentSpec, TimeSpan> QuietPeriod { get; } = SettingKinds.Duration(
        new SettingKinds.Facts<ExperimentSpec, TimeSpan>("nemesis.quiet_period", "--quiet-period", "how long to wait after the last heal before the final read, so that lost means lost, not late",
            ExperimentSpec.Default, s => s.QuietPeriod, (s, v) => s with { QuietPeriod = v }),
        TimeSpan.Zero, TimeSpan.FromMinutes(10));

    public static SettingDescriptor<ExperimentSpec, TimeSpan> DrainTimeout { get; } = SettingKinds.Duration(
        new SettingKinds.Facts<ExperimentSpec, TimeSpan>("nemesis.drain_timeout", "--drain-timeout", "how long the topic must stay quiet after the last acknowledgement before the final read gives up",
            ExperimentSpec.Default, s => s.DrainIdleTimeout, (s, v) => s with { DrainIdleTimeout = v }),
        TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

    public static IReadOnlyList<SettingDescriptor<ExperimentSpec>> All { get; } = [QuietPeriod, DrainTimeout];
}
