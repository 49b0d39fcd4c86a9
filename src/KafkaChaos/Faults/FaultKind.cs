namespace KafkaChaos.Faults;

/// <summary>
/// One kind of fault: its name in experiment files, what it needs of the cluster, the parameters it
/// shows, and how it builds an application of itself. Each fault type carries its kind as a nested
/// <c>Kind</c>, so that adding a fault is one file, not a switch in every layer.
/// </summary>
public abstract class FaultKind
{
    /// <summary>The name experiment files, flags, journals and reports use.</summary>
    public abstract string Name { get; }

    /// <summary>False for instantaneous faults, which have nothing to heal.</summary>
    public virtual bool HasDuration => true;

    /// <summary>True for faults that act on the clients only, and so apply to any cluster.</summary>
    public virtual bool IsClientSide => false;

    /// <summary>Why this kind cannot run on a cluster and topic of this shape, beyond the checks every fault gets; null when it can.</summary>
    public virtual string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) => null;

    /// <summary>
    /// The options this kind reads beyond its timing (<see cref="FaultOptionKeys"/>); a file or a flag that gives
    /// it another is refused rather than silently ignored.
    /// </summary>
    public virtual IReadOnlyList<string> Options => [];

    /// <summary>The kind's own parameters as they read in a description (" 20%", " +3"); empty when it has none.</summary>
    public virtual string Parameters(FaultSpec fault) => "";

    /// <summary>The one wording of "another replica must be able to lead", shared by the leader faults.</summary>
    protected string? NeedsAnotherReplica(int replicationFactor) =>
        replicationFactor < 2 ? $"{Name} needs a replication factor of at least 2, so that another replica can lead (it is {replicationFactor})" : null;

    /// <summary>The one wording of "there must be brokers on both sides", shared by the network faults.</summary>
    protected string? NeedsTwoBrokers(int brokers) => brokers < 2 ? $"{Name} needs at least 2 brokers (there are {brokers})" : null;

    /// <summary>Builds one application of <paramref name="fault"/>.</summary>
    public abstract Fault Create(FaultSpec fault, FaultContext context);
}
