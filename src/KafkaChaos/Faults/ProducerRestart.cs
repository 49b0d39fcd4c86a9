using KafkaChaos.Journal;
using KafkaChaos.Workload;

namespace KafkaChaos.Faults;

/// <summary>
/// Kills the running producer identity mid-stream and starts a new one (new id, sequences from 0) on the
/// same schedule. The killed identity's unreported sends are journalled unknown: a crashed client
/// never learns whether they were stored, and the ledger shows which were. With
/// <c>workload.resend_on_restart: unknown</c> the new identity first sends those again under their own
/// envelopes, as an application would: what was stored after all is then stored twice, whatever the
/// producer's idempotence, because the broker sees a new producer id.
/// </summary>
public sealed class ProducerRestart(FaultContext context, IRestartableProducer lane) : Fault(context)
{
    public const string FaultName = FaultKinds.RestartProducer;

    public override string Name => FaultName;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        Record(FaultPhase.Start, "producer", lane.ResendUnknownOnRestart ? "kill the running producer identity; the next resends its unknown sends" : "kill the running producer identity");
        var evidence = await lane.RestartAsync(cancellationToken);
        Verified = true;
        Record(FaultPhase.Verified, "producer", evidence);
        Log(evidence);
    }

    public override Task HealAsync(CancellationToken cancellationToken)
    {
        if (Verified)
        {
            Record(FaultPhase.End, "producer", "replacement identity running");
        }

        return Task.CompletedTask;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.RestartProducer;

        public override bool HasDuration => false;

        public override bool IsClientSide => true;

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new ProducerRestart(context, context.Producers is { Count: > 0 } lanes ? lanes[context.Random.Next(lanes.Count)]
                : throw new InvalidOperationException($"{Name} needs the run's producers"));
    }
}
