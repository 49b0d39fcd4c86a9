using System.Text.Json;

namespace KafkaChaos.Journal;

/// <summary>
/// What is wrong with a damaged JSON file, in the file's own terms: where it breaks, never the .NET type the
/// serializer wanted (a user reads "System.Nullable`1[System.Int64]" as a crash, not as a damaged file).
/// </summary>
public static class JsonDamage
{
    public static string Describe(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var line = e.LineNumber is { } n ? $", line {n + 1}" : "";
        return e.Path is { Length: > 1 } path
            ? $"the value at {path}{line} is not what that field holds"
            : $"not valid JSON{line}{(e.BytePositionInLine is { } b ? $", byte {b + 1}" : "")}";
    }
}
