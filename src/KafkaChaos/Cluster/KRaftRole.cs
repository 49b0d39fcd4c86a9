namespace KafkaChaos.Cluster;

/// <summary>What a KRaft node runs, as its <c>process.roles</c> says.</summary>
public enum KRaftRole
{
    /// <summary><c>process.roles=broker</c>: serves clients, follows the quorum as an observer.</summary>
    Broker,

    /// <summary><c>process.roles=controller</c>: a voter of the metadata quorum, serving no client.</summary>
    Controller,

    /// <summary><c>process.roles=broker,controller</c>: both in one process.</summary>
    Combined,
}
