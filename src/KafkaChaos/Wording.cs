namespace KafkaChaos;

/// <summary>How messages list values, so that every "expected" in an error reads alike.</summary>
public static class Wording
{
    /// <summary>"a, b or c" (one name alone as it is).</summary>
    public static string Listed(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";
    }
}
