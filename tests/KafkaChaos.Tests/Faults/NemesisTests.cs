using KafkaChaos.Faults;
using KafkaChaos.Journal;
using NUnit.Framework;

namespace KafkaChaos.Tests.Faults;

/// <summary>The nemesis's schedule, overlap and failure handling on a simulated cluster and a fake clock.</summary>
public class NemesisTests : TemporaryDirectoryTest
{
    [Test]
    public async Task Faults_StartAtTheirScheduledTimes_AndAreHeldForTheirDurationAfterVerification()
    {
        using var bench = new FaultBench(TestDirectory);
        FaultSpec[] faults =
        [
            new() { Kind = FaultKinds.PauseBroker, Broker = 2, When = new FaultTrigger(TimeSpan.FromSeconds(5)), Duration = TimeSpan.FromSeconds(20) },
            new() { Kind = FaultKinds.KillLeader, Partition = 0, When = new FaultTrigger(TimeSpan.FromSeconds(10)), Duration = TimeSpan.FromSeconds(20) },
        ];
        var nemesis = NemesisOn(bench, faults);
        var start = bench.Time.GetUtcNow().ToUnixTimeMilliseconds();

        await bench.RunAsync(() => nemesis.RunAsync(() => true, CancellationToken.None));

        var events = bench.Events();
        var pause = events.Where(e => e.Fault == FaultKinds.PauseBroker).ToArray();
        var kill = events.Where(e => e.Fault == FaultKinds.KillLeader).ToArray();
        Assert.That(pause.Select(e => e.Phase), Is.EqualTo(new[] { FaultPhase.Start, FaultPhase.Verified, FaultPhase.End }));
        Assert.That(kill.Select(e => e.Phase), Is.EqualTo(new[] { FaultPhase.Start, FaultPhase.Verified, FaultPhase.End }));
        Assert.That((pause[0].TimestampMs - start) / 1000.0, Is.EqualTo(5).Within(0.5));
        Assert.That((kill[0].TimestampMs - start) / 1000.0, Is.EqualTo(10).Within(0.5), "faults overlap: the second does not wait for the first's heal");
        Assert.That((pause[2].TimestampMs - pause[1].TimestampMs) / 1000.0, Is.EqualTo(20).Within(0.5), "held for its duration from the verification");
        Assert.That(bench.Cluster.Brokers.All(b => bench.Cluster.State(b.Id) is { Running: true, Paused: false }), Is.True);
    }

    [Test]
    public async Task AFaultDueAfterTheWorkloadFinished_IsJournalledNotApplied()
    {
        using var bench = new FaultBench(TestDirectory);
        var nemesis = NemesisOn(bench, [new FaultSpec { Kind = FaultKinds.KillBroker, Broker = 1, When = new FaultTrigger(TimeSpan.FromSeconds(60)) }]);
        var running = true;
        bench.Time.CreateTimer(_ => running = false, null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);

        await bench.RunAsync(() => nemesis.RunAsync(() => running, CancellationToken.None));

        var only = bench.Events().Single();
        Assert.That((only.Phase, only.Target), Is.EqualTo((FaultPhase.NotApplied, "schedule")));
        Assert.That(only.Detail, Does.Contain("due at 60 s, but the workload had already finished"));
        Assert.That(bench.Cluster.State(1).Kills, Is.Zero);
    }

    [Test]
    public void AFaultThatFails_EndsTheRunAtOnce_NotWhenTheScheduleIsDone()
    {
        using var bench = new FaultBench(TestDirectory);
        FaultSpec[] faults =
        [
            new() { Kind = FaultKinds.PauseBroker, Broker = 1, When = new FaultTrigger(TimeSpan.FromSeconds(1)) },
            new() { Kind = FaultKinds.PauseBroker, Broker = 2, When = new FaultTrigger(TimeSpan.FromMinutes(30)) },
        ];
        var nemesis = new Nemesis(faults, 1, (spec, _) => spec.Broker == 1 ? new FailingFault(bench.Context()) : bench.Create(spec),
            bench.Cluster.Access, FaultBench.Topic, bench.Journal, bench.Time, _ => { });

        Assert.That(async () => await bench.RunAsync(() => nemesis.RunAsync(() => true, CancellationToken.None), limit: TimeSpan.FromMinutes(5)),
            Throws.TypeOf<InvalidOperationException>().With.Message.EqualTo("the engine refused"));
        Assert.That(bench.Cluster.State(2).Paused, Is.False, "the later fault never started");
    }

    [Test]
    public void ThePlan_IsTheSameForTheSameSeed_AndInTimeOrder()
    {
        using var bench = new FaultBench(TestDirectory);
        FaultSpec[] faults =
        [
            new() { Kind = FaultKinds.KillLeader, When = new FaultTrigger(TimeSpan.FromSeconds(10), WindowEnd: TimeSpan.FromSeconds(100), Count: 5) },
            new() { Kind = FaultKinds.PauseBroker, When = new FaultTrigger(TimeSpan.FromSeconds(10), WindowEnd: TimeSpan.FromSeconds(100), Count: 5) },
        ];

        var first = NemesisOn(bench, faults, seed: 7).Plan;
        var again = NemesisOn(bench, faults, seed: 7).Plan;
        var other = NemesisOn(bench, faults, seed: 8).Plan;

        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
        Assert.That(first.Select(p => p.At), Is.Ordered);
        Assert.That(first, Has.Count.EqualTo(10));
    }

    [Test]
    public async Task HealAll_OnAClusterItCannotReach_RecordsThatOnlyClientFaultsRan()
    {
        using var bench = new FaultBench(TestDirectory);
        var nemesis = new Nemesis([], 1, (spec, _) => bench.Create(spec), null, FaultBench.Topic, bench.Journal, bench.Time, _ => { });

        await nemesis.HealAllAsync(CancellationToken.None);

        Assert.That(bench.Events().Single().Detail, Does.Contain("only client faults were applied"));
    }

    [Test]
    public async Task HealAll_UndoesWhatAnInterruptedFaultLeft_AndWaitsForAWholeCluster()
    {
        using var bench = new FaultBench(TestDirectory);
        var nemesis = NemesisOn(bench, []);
        await bench.Cluster.PauseAsync(bench.Cluster.Brokers[0], CancellationToken.None);
        await bench.Cluster.KillAsync(bench.Cluster.Brokers[1], "KILL", CancellationToken.None);

        await bench.RunAsync(() => nemesis.HealAllAsync(CancellationToken.None));

        var healed = bench.Events().Single();
        Assert.That((healed.Fault, healed.Phase), Is.EqualTo(("heal-all", FaultPhase.End)));
        Assert.That((await bench.Cluster.TopologyAsync(FaultBench.Topic, CancellationToken.None)).IsWhole(3), Is.True);
    }

    private static Nemesis NemesisOn(FaultBench bench, IReadOnlyList<FaultSpec> faults, int seed = 1) =>
        new(faults, seed, (spec, random) => FaultKinds.Create(spec, bench.Context() with { Random = random }), bench.Cluster.Access, FaultBench.Topic,
            bench.Journal, bench.Time, _ => { });

    /// <summary>A fault whose application fails, as a heal refused by the engine did in an hour's soak.</summary>
    private sealed class FailingFault(FaultContext context) : Fault(context)
    {
        public override string Name => FaultKinds.PauseBroker;

        public override Task ApplyAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("the engine refused");

        public override Task HealAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
