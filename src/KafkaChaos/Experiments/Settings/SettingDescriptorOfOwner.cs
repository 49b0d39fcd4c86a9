namespace KafkaChaos.Experiments.Settings;

/// <summary>A setting of <typeparamref name="TOwner"/> (an experiment, or one fault), which it is applied to and described from.</summary>
public abstract class SettingDescriptor<TOwner> : SettingDescriptor
{
    /// <summary>False for a setting that only derives others (workload.duration sets the message count).</summary>
    public bool Described { get; init; } = true;

    /// <summary>
    /// <paramref name="owner"/> with the given value, or with the default when <paramref name="given"/> is null.
    /// </summary>
    /// <exception cref="ExperimentConfigException">Naming where the value came from, the key and the value.</exception>
    public abstract TOwner Apply(TOwner owner, (string Value, string Where)? given);

    /// <summary>The value as a file spells it, for results.json, the journal and <c>check</c>.</summary>
    public abstract string Describe(TOwner owner);

    /// <summary>Why the value <paramref name="owner"/> holds is not one this setting takes (a spec built in code), or null.</summary>
    public abstract string? ValueProblem(TOwner owner);
}
