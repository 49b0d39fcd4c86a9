using System.Text.Json;

namespace KafkaChaos;

/// <summary>
/// The one spelling of every value of an enumeration, in kebab case (<c>FinalRead</c> is <c>final-read</c>):
/// the journal, results.json, experiment files, flags and reports all read and write through it, so that a
/// value cannot be spelled one way in a journal and another in a report.
/// </summary>
/// <remarks>
/// The spellings are a file format: renaming a member renames what journals already written say, which the
/// journal's format tests pin.
/// </remarks>
public static class EnumNames<T>
    where T : struct, Enum
{
    private static readonly T[] Values = Enum.GetValues<T>();

    private static readonly Dictionary<T, string> NameOf = Values.ToDictionary(v => v, v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()));

    private static readonly Dictionary<string, T> ValueOf = NameOf.ToDictionary(n => n.Value, n => n.Key, StringComparer.Ordinal);

    /// <summary>Every name, in the enumeration's order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Values.Select(v => NameOf[v])];

    /// <summary>"a, b or c", for the end of an error message.</summary>
    public static string Listed => Wording.Listed(All);

    public static string ToName(T value) =>
        NameOf.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a value of {typeof(T).Name}");

    public static bool TryParse(string? name, out T value)
    {
        if (name is not null && ValueOf.TryGetValue(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }
}
