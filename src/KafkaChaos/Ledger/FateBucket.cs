namespace KafkaChaos.Ledger;

/// <summary>
/// The messages of one partition whose outcome came in one time bucket, by fate: one point of the
/// chart that explains a loss. <see cref="Partition"/> is null for sends without an acknowledged
/// position (failed, unknown, acks=0).
/// </summary>
public sealed record FateBucket(int? Partition, long StartMs, long Stored, long Lost, long LostAfterRead, long Duplicated, long UnackedStored, long UnackedNotStored)
{
    /// <summary>The count of <paramref name="fate"/> in this bucket.</summary>
    public long Count(MessageFate fate) => fate switch
    {
        MessageFate.Stored => Stored,
        MessageFate.Lost => Lost,
        MessageFate.LostAfterRead => LostAfterRead,
        MessageFate.Duplicated => Duplicated,
        MessageFate.UnackedStored => UnackedStored,
        _ => UnackedNotStored,
    };
}
