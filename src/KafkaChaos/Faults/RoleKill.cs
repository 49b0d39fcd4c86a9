using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// A fault that SIGKILLs the broker holding a role (a partition's leader, the controller, a group's
/// coordinator), found from live metadata when it applies; healing starts that broker again. Each kind
/// finds its broker and verifies its own effect; the kill and the restart are the same for all.
/// </summary>
public abstract class RoleKill(FaultContext context) : BrokerFault(context)
{
    private BrokerNode? _killed;

    /// <summary>Records the start, logs and SIGKILLs <paramref name="broker"/>, which the heal starts again.</summary>
    /// <param name="broker">The broker holding the role.</param>
    /// <param name="role">What it is, for the log: "leader of t/0", "the controller".</param>
    /// <param name="startDetails">The journal's start record.</param>
    /// <param name="cancellationToken">Cancels the kill.</param>
    protected async Task KillAsync(BrokerNode broker, string role, string startDetails, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        Record(FaultPhase.Start, broker.Target, startDetails);
        Log($"SIGKILL {broker.Target}, {role}");
        await Control.KillAsync(broker, "KILL", cancellationToken);
        _killed = broker;
        Applied = true;
    }

    protected sealed override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        await Control.StartAsync(_killed!, cancellationToken);
        return _killed!.Target;
    }
}
