namespace KafkaChaos.Reporting.Comparison;

/// <summary>What became of an anomaly count from the first run to the last.</summary>
public enum CountChange
{
    /// <summary>Not judged as a change: not an anomaly, not in both runs, or the rates' intervals overlap.</summary>
    Unchanged,

    /// <summary>Never above 0 in the first run, above 0 in some repetition of the last: worse.</summary>
    NewAnomaly,

    /// <summary>The last run's interval lies wholly above the first's: worse.</summary>
    RateUp,

    /// <summary>The last run's interval lies wholly below the first's: better.</summary>
    RateDown,
}
