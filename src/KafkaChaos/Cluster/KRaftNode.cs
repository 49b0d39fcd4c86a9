namespace KafkaChaos.Cluster;

/// <summary>One server of a KRaft cluster: its node.id, its process.roles and its address.</summary>
public sealed record KRaftNode(int NodeId, bool IsBroker, bool IsController, string Host)
{
    public string Roles => (IsBroker, IsController) switch
    {
        (true, true) => "broker,controller",
        (true, false) => "broker",
        _ => "controller",
    };
}
