using KafkaChaos.Journal;
using KafkaChaos.Workload;

namespace KafkaChaos.Faults;

/// <summary>
/// Kills a consumer instance at a chosen point of its poll–process–commit cycle (disposed without
/// Close: no commit, no leaving the group) and starts a new instance in the same group. The effect is
/// verified by the crash having happened at that point, with what it cut short as evidence.
/// </summary>
public sealed class ConsumerRestart(FaultContext context, IRestartableConsumers group, CrashPoint point) : Fault(context)
{
    public const string FaultName = FaultKinds.RestartConsumer;

    /// <summary>How long to wait for the victim to reach the crash point before calling the fault not applied.</summary>
    private static readonly TimeSpan ReachTimeout = TimeSpan.FromSeconds(30);

    public override string Name => FaultName;

    /// <summary>One target for every phase, so that a reader pairs this start with its end.</summary>
    private string Target => $"consumer group, {EnumNames<CrashPoint>.ToName(point)}";

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var target = Target;
        Record(FaultPhase.Start, target, $"kill a consumer instance {EnumNames<CrashPoint>.ToName(point)}");
        var evidence = await group.RestartAsync(point, ReachTimeout, cancellationToken);
        if (evidence is null)
        {
            Record(FaultPhase.NotApplied, target, $"no consumer reached {EnumNames<CrashPoint>.ToName(point)} within {ReachTimeout.TotalSeconds:0} s (no records arriving?)");
            Log("not applied: no consumer reached the crash point");
            return;
        }

        Verified = true;
        Record(FaultPhase.Verified, target, evidence);
        Log(evidence);
    }

    /// <summary>The replacement instance was started by the restart itself; nothing is left to undo.</summary>
    public override Task HealAsync(CancellationToken cancellationToken)
    {
        if (Verified)
        {
            Record(FaultPhase.End, Target, "replacement instance running");
        }

        return Task.CompletedTask;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.RestartConsumer;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.CrashPoint];

        public override bool HasDuration => false;

        public override bool IsClientSide => true;

        public override string Parameters(FaultSpec fault) => $" {EnumNames<CrashPoint>.ToName(fault.CrashPoint)}";

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new ConsumerRestart(context, context.Consumers ?? throw new InvalidOperationException($"{Name} needs the run's consumers"), fault.CrashPoint);
    }
}
