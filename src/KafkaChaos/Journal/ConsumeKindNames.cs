namespace KafkaChaos.Journal;

/// <summary>The spelling of <see cref="ConsumeKind"/> in JSON-lines histories and reports, and what each kind carries.</summary>
public static class ConsumeKindNames
{
    public const ConsumeKind Highest = ConsumeKind.FinalRead;

    public static string ToName(ConsumeKind kind) => kind switch
    {
        ConsumeKind.Processed => "processed",
        ConsumeKind.DuplicateSkipped => "duplicate-skipped",
        ConsumeKind.Abandoned => "abandoned",
        ConsumeKind.Unreadable => "unreadable",
        ConsumeKind.Assigned => "assigned",
        ConsumeKind.Revoked => "revoked",
        ConsumeKind.FinalRead => "final-read",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Every name, for error messages.</summary>
    public static string Listed => string.Join(", ", Enum.GetValues<ConsumeKind>().Select(ToName));

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

    /// <summary>Whether a record of this kind names a message (producer and sequence).</summary>
    public static bool CarriesMessage(ConsumeKind kind) => kind is not (ConsumeKind.Unreadable or ConsumeKind.Assigned or ConsumeKind.Revoked);

    /// <summary>Whether a record of this kind is an assignment change rather than a record read.</summary>
    public static bool IsAssignmentChange(ConsumeKind kind) => kind is ConsumeKind.Assigned or ConsumeKind.Revoked;
}
