namespace KafkaChaos.Journal;

/// <summary>The one outcome every send attempt ends in.</summary>
public enum ProduceStatus
{
    /// <summary>The client reported success (for acks=0 that is only "handed to the socket").</summary>
    Acked,

    /// <summary>The client reported a definite failure: the broker did not store the message.</summary>
    Failed,

    /// <summary>Indeterminate: timed out, or still in flight at shutdown. It may or may not be stored.</summary>
    Unknown,
}
