using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// One fault of the nemesis: applied, checked to have taken effect, and healed, with every step in the
/// journal's fault timeline.
/// </summary>
/// <remarks>
/// A fault whose effect was never observed is journalled as not-applied and leaves <see cref="Verified"/>
/// false, so a cell cannot pass as "no loss under this fault" when the fault never happened.
/// </remarks>
public abstract class Fault(FaultContext context)
{
    /// <summary>The fault's name in experiment files, journals and reports (kill-leader, restart-consumer, ...).</summary>
    public abstract string Name { get; }

    /// <summary>True once the fault's effect was observed.</summary>
    public bool Verified { get; protected set; }

    protected FaultContext Context => context;

    protected TimeProvider Time => context.Time;

    public abstract Task ApplyAsync(CancellationToken cancellationToken);

    /// <summary>Undoes the fault; a no-op when there is nothing to undo.</summary>
    public abstract Task HealAsync(CancellationToken cancellationToken);

    private readonly List<FaultEvent> _events = [];

    /// <summary>What this application journalled, in order: its target as resolved and when each phase came (for a cell's schedule.json).</summary>
    public IReadOnlyList<FaultEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    protected void Record(FaultPhase phase, string target, string detail, long? timestampMs = null)
    {
        var recorded = new FaultEvent(Name, phase, target, timestampMs ?? context.Time.Millis(), detail);
        lock (_events)
        {
            _events.Add(recorded);
        }

        context.Journal.WriteFault(recorded);
    }

    protected void Log(string line) => context.Log($"fault {Name}: {line}");
}
