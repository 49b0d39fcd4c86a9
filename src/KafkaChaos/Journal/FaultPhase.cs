namespace KafkaChaos.Journal;

/// <summary>Where in its life a fault event was recorded.</summary>
public enum FaultPhase
{
    /// <summary>The fault was applied.</summary>
    Start,

    /// <summary>The fault's effect was observed on the cluster (the evidence is in the detail).</summary>
    Verified,

    /// <summary>The fault could not be applied or its effect was never observed.</summary>
    NotApplied,

    /// <summary>The fault was healed.</summary>
    End,
}
