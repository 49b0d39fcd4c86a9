using System.Globalization;

namespace KafkaChaos.Experiments.Settings;

/// <summary>
/// The kinds of value a setting takes (a whole number in a range, a number, a duration, one of some names,
/// true or false), each with its one parser, formatter and wording of what it expects, so that every
/// setting of a kind is read, written and refused alike.
/// </summary>
public static class SettingKinds
{
    /// <summary>The parts every setting has, whatever its kind.</summary>
    public sealed record Facts<TOwner, T>(string Key, string Flag, string Doc, TOwner Template, Func<TOwner, T> Get, Func<TOwner, T, TOwner> Set)
    {
        public Func<TOwner, T>? DefaultFrom { get; init; }

        public string? DefaultDoc { get; init; }

        public Func<TOwner, T, string?>? Conflict { get; init; }

        public string? Excludes { get; init; }

        public bool Described { get; init; } = true;
    }

    public static SettingDescriptor<TOwner, int> Whole<TOwner>(Facts<TOwner, int> facts, int min, int max) =>
        Build(facts, $"a whole number {Inv(min)}..{Inv(max)}", (string text, out int value) =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max, Inv, [Inv(min), Inv(max)]);

    public static SettingDescriptor<TOwner, long> Whole<TOwner>(Facts<TOwner, long> facts, long min, long max) =>
        Build(facts, $"a whole number {Inv(min)}..{Inv(max)}", (string text, out long value) =>
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max, Inv, [Inv(min), Inv(max)]);

    /// <summary>A number; above <paramref name="min"/> only, when <paramref name="minExclusive"/>.</summary>
    public static SettingDescriptor<TOwner, double> Number<TOwner>(Facts<TOwner, double> facts, double min, double max, bool minExclusive = false) =>
        Build(facts, minExclusive ? $"a number above {Inv(min)} and at most {Inv(max)}" : $"a number {Inv(min)}..{Inv(max)}", (string text, out double value) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)
            && (minExclusive ? value > min : value >= min) && value <= max, Inv, [Inv(minExclusive ? min + ((max - min) / 200) : min), Inv(max)]);

    public static SettingDescriptor<TOwner, TimeSpan> Duration<TOwner>(Facts<TOwner, TimeSpan> facts, TimeSpan min, TimeSpan max) =>
        Build(facts, DurationExpected(min, max), (string text, out TimeSpan value) =>
            TryParseDuration(text, out value) && value >= min && value <= max, FormatDuration, [FormatDuration(min), FormatDuration(max)]);

    /// <summary>A duration that may be absent (a fault's interval): unset is null, and no file spells null.</summary>
    public static SettingDescriptor<TOwner, TimeSpan?> OptionalDuration<TOwner>(Facts<TOwner, TimeSpan?> facts, TimeSpan min, TimeSpan max) =>
        Build(facts, DurationExpected(min, max), (string text, out TimeSpan? value) =>
        {
            value = TryParseDuration(text, out var parsed) && parsed >= min && parsed <= max ? parsed : null;
            return value is not null;
        }, d => d is { } duration ? FormatDuration(duration) : "none", [FormatDuration(min), FormatDuration(max)]);

    /// <summary>One of <paramref name="names"/>, each the one spelling of its value.</summary>
    public static SettingDescriptor<TOwner, T> Choice<TOwner, T>(Facts<TOwner, T> facts, IReadOnlyList<(T Value, string Name)> names) =>
        Build(facts, Wording.Listed([.. names.Select(n => n.Name)]), (string text, out T value) =>
        {
            foreach (var (candidate, name) in names)
            {
                if (name == text)
                {
                    value = candidate;
                    return true;
                }
            }

            value = default!;
            return false;
        }, value => names.First(n => EqualityComparer<T>.Default.Equals(n.Value, value)).Name, [.. names.Select(n => n.Name)]);

    /// <summary>One of an enumeration's values, in its one spelling (<see cref="EnumNames{T}"/>).</summary>
    public static SettingDescriptor<TOwner, T> Choice<TOwner, T>(Facts<TOwner, T> facts)
        where T : struct, Enum => Choice(facts, [.. Enum.GetValues<T>().Select(v => (v, EnumNames<T>.ToName(v)))]);

    /// <summary>true or false; as a flag it may stand alone, meaning true.</summary>
    public static SettingDescriptor<TOwner, bool> Switch<TOwner>(Facts<TOwner, bool> facts) =>
        Build(facts, "true or false", (string text, out bool value) =>
        {
            value = text == "true";
            return text is "true" or "false";
        }, value => value ? "true" : "false", ["true", "false"], isSwitch: true);

    /// <summary>"500ms", "5s", "2m", "1h", or a plain number of seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = default;
        text = text.Trim();
        var (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value)
            || value * scale > TimeSpan.FromDays(1).TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    /// <summary>A duration as files and results.json spell it: seconds, "3s", "0.5s".</summary>
    public static string FormatDuration(TimeSpan duration) => Inv(duration.TotalSeconds) + "s";

    private static string DurationExpected(TimeSpan min, TimeSpan max) =>
        $"a duration such as 500ms, 5s or 2m, {min.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}..{max.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    private static SettingDescriptor<TOwner, T> Build<TOwner, T>(Facts<TOwner, T> facts, string expected, SettingDescriptor<TOwner, T>.Parser parse, Func<T, string> format,
        IReadOnlyList<string> samples, bool isSwitch = false) => new()
    {
        Samples = samples,
        IsSwitch = isSwitch,
        Key = facts.Key,
        Flag = facts.Flag,
        Doc = facts.Doc,
        Expected = expected,
        Default = facts.Get(facts.Template),
        TryParse = parse,
        Format = format,
        Get = facts.Get,
        Set = facts.Set,
        DefaultFrom = facts.DefaultFrom,
        DefaultDoc = facts.DefaultDoc,
        Conflict = facts.Conflict,
        Excludes = facts.Excludes,
        Described = facts.Described,
    };

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Inv(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Inv(double value) => value.ToString(CultureInfo.InvariantCulture);
}
