namespace KafkaChaos.Ledger;

/// <summary>What became of one message, as the fate chart colours it: its outcome and where it ended.</summary>
public enum MessageFate
{
    /// <summary>Acknowledged, and in the final log once.</summary>
    Stored,

    /// <summary>Acknowledged, and not in the final log.</summary>
    Lost,

    /// <summary>Lost, after a consumer had read it: truncated.</summary>
    LostAfterRead,

    /// <summary>Acknowledged, and in the final log more than once.</summary>
    Duplicated,

    /// <summary>Failed or unknown, and stored anyway.</summary>
    UnackedStored,

    /// <summary>Failed or unknown, and not stored.</summary>
    UnackedNotStored,
}
