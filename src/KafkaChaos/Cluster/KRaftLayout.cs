namespace KafkaChaos.Cluster;

/// <summary>
/// Where the KRaft controllers live. Combined: the first three brokers (or all, when fewer) are also
/// controllers. Separate: three dedicated controller nodes (ids 101..103) beside the brokers, which is
/// how production clusters run and lets faults hit the quorum and the brokers apart.
/// </summary>
public enum KRaftLayout
{
    Combined,
    SeparateControllers,
}
