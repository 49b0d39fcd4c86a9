namespace KafkaChaos.Experiments.Settings;

/// <summary>A setting of type <typeparamref name="T"/>: how it is read, written, defaulted and stored in its owner.</summary>
public sealed class SettingDescriptor<TOwner, T> : SettingDescriptor<TOwner>
{
    /// <summary>Reads a value as a file or a flag spells it; false when it is not one.</summary>
    public delegate bool Parser(string text, out T value);

    public required T Default { get; init; }

    public required Parser TryParse { get; init; }

    public required Func<T, string> Format { get; init; }

    public required Func<TOwner, T> Get { get; init; }

    public required Func<TOwner, T, TOwner> Set { get; init; }

    /// <summary>The default from what is already set (a replication factor no higher than the brokers); null: <see cref="Default"/>.</summary>
    public Func<TOwner, T>? DefaultFrom { get; init; }

    /// <summary>How <see cref="DefaultText"/> reads when the default is derived.</summary>
    public string? DefaultDoc { get; init; }

    /// <summary>Why a value that parses cannot stand beside what is already set, as the end of the error line; null when it can.</summary>
    public Func<TOwner, T, string?>? Conflict { get; init; }

    public override string DefaultText => DefaultDoc ?? Format(Default);

    public override string? Problem(string text) => TryParse(text, out _) ? null : $"expected {Expected}";

    public override TOwner Apply(TOwner owner, (string Value, string Where)? given)
    {
        if (given is not { } setting)
        {
            return Set(owner, DefaultFrom is null ? Default : DefaultFrom(owner));
        }

        if (!TryParse(setting.Value, out var value))
        {
            throw Error(setting.Value, setting.Where);
        }

        return Conflict?.Invoke(owner, value) is { } conflict ? throw Error(setting.Value, setting.Where, conflict) : Set(owner, value);
    }

    public override string Describe(TOwner owner) => Format(Get(owner));

    public override string? ValueProblem(TOwner owner) =>
        Get(owner) is var value && (EqualityComparer<T>.Default.Equals(value, Default) || TryParse(Format(value), out _)) ? null : $"{Format(value)} is not {Expected}";

    /// <summary>The value a flag gave (for commands that take a setting without an experiment), or the default.</summary>
    /// <exception cref="ExperimentConfigException">Naming the flag and the value.</exception>
    public T ReadFlag(string? text) => text is null ? Default : TryParse(text, out var value) ? value : throw Error(text, Flag);
}
