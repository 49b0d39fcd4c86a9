namespace KafkaChaos.Journal;

/// <summary>What each <see cref="ConsumeKind"/> carries, which the codec and the checker read alike.</summary>
public static class ConsumeKindFacts
{
    /// <summary>The highest kind a journal may hold; a byte above it is damage.</summary>
    public const ConsumeKind Highest = ConsumeKind.FinalRead;

    /// <summary>Whether a record of this kind names a message (producer and sequence).</summary>
    public static bool CarriesMessage(this ConsumeKind kind) => kind is not (ConsumeKind.Unreadable or ConsumeKind.Assigned or ConsumeKind.Revoked);

    /// <summary>Whether a record of this kind is an assignment change rather than a record read.</summary>
    public static bool IsAssignmentChange(this ConsumeKind kind) => kind is ConsumeKind.Assigned or ConsumeKind.Revoked;
}
