namespace KafkaChaos.Journal;

/// <summary>The spelling of <see cref="ConsumeKind"/> in JSON-lines histories and reports.</summary>
public static class ConsumeKindNames
{
    public static string ToName(ConsumeKind kind) => kind switch
    {
        ConsumeKind.Processed => "processed",
        ConsumeKind.DuplicateSkipped => "duplicate-skipped",
        ConsumeKind.Abandoned => "abandoned",
        ConsumeKind.Unreadable => "unreadable",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? name, out ConsumeKind kind)
    {
        foreach (var candidate in Enum.GetValues<ConsumeKind>())
        {
            if (ToName(candidate) == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
