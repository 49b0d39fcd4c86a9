namespace KafkaChaos.Experiments.Settings;

/// <summary>A setting of type <typeparamref name="T"/>: its parser, formatter and default beside the shared facts.</summary>
public sealed class SettingDescriptor<T> : SettingDescriptor
{
    /// <summary>Reads a value as a file or a flag spells it; false when it is not one.</summary>
    public delegate bool Parser(string text, out T value);

    public required T Default { get; init; }

    public required Parser TryParse { get; init; }

    public required Func<T, string> Format { get; init; }

    public override string DefaultText => Format(Default);

    public override string? Problem(string text) => TryParse(text, out _) ? null : $"expected {Expected}";

    /// <summary>The value in <paramref name="settings"/> (a file's flat settings), or the default.</summary>
    /// <exception cref="ExperimentConfigException">Naming the file position, the key and the value.</exception>
    public T Read(IReadOnlyDictionary<string, (string Value, string Where)> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.TryGetValue(Key, out var setting))
        {
            return Default;
        }

        return TryParse(setting.Value, out var value) ? value : throw FileError(setting.Value, setting.Where);
    }

    /// <summary>The value a flag gave, or the default when it was not given.</summary>
    /// <exception cref="ExperimentConfigException">Naming the flag and the value.</exception>
    public T ReadFlag(string? text) =>
        text is null ? Default : TryParse(text, out var value) ? value : throw FlagError(text);
}
