using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.Tests.Faults;

/// <summary>
/// restart-producer and restart-consumer against fake clients: which client they act on, what they record as
/// evidence, and a consumer that never reaches its crash point recorded as not applied, never as a kill.
/// </summary>
public class ClientRestartTests : TemporaryDirectoryTest
{
    [Test]
    public async Task RestartConsumer_ReachingTheCrashPoint_IsVerifiedWithTheGroupsEvidence()
    {
        using var bench = new FaultBench(TestDirectory);
        var consumers = new FakeConsumers("killed c0 after its commit of 10 records; c1 took over");
        var fault = FaultKinds.Create(new FaultSpec { Kind = FaultKinds.RestartConsumer, CrashPoint = CrashPoint.AfterCommit }, bench.Context(consumers: consumers));

        await bench.ApplyAndHealAsync(fault);

        Assert.That(consumers.Asked, Is.EqualTo(new[] { CrashPoint.AfterCommit }));
        Assert.That(fault.Verified, Is.True);
        var events = bench.Events();
        Assert.That(events.Select(e => e.Phase), Is.EqualTo(new[] { FaultPhase.Start, FaultPhase.Verified, FaultPhase.End }));
        Assert.That(events[1].Detail, Is.EqualTo("killed c0 after its commit of 10 records; c1 took over"));
        Assert.That(events.Select(e => e.Target).Distinct(), Is.EqualTo(new[] { "consumer group, after-commit" }), "one target, so that a reader pairs start and end");
    }

    [Test]
    public async Task RestartConsumer_NoInstanceReachingTheCrashPoint_IsNotAppliedAndHasNoEnd()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = FaultKinds.Create(new FaultSpec { Kind = FaultKinds.RestartConsumer, CrashPoint = CrashPoint.BetweenProcessAndCommit },
            bench.Context(consumers: new FakeConsumers(null)));

        await bench.ApplyAndHealAsync(fault);

        Assert.That(fault.Verified, Is.False);
        var events = bench.Events();
        Assert.That(events.Select(e => e.Phase), Is.EqualTo(new[] { FaultPhase.Start, FaultPhase.NotApplied }));
        Assert.That(events[1].Detail, Does.StartWith("no consumer reached between-process-and-commit within 30 s"));
    }

    [Test]
    public async Task RestartProducer_RestartsOneLaneChosenByTheSeed_AndRecordsItsEvidence()
    {
        var chosen = new List<int>();
        foreach (var seed in Enumerable.Range(1, 20))
        {
            using var bench = new FaultBench(Directory.CreateDirectory(Path.Combine(TestDirectory, $"{seed}")).FullName);
            var lanes = Enumerable.Range(0, 3).Select(i => new FakeProducer($"p{i} stopped after 100 sends; p{i + 3} took over")).ToList();
            var fault = FaultKinds.Create(new FaultSpec { Kind = FaultKinds.RestartProducer }, bench.Context(seed, producers: lanes));

            await bench.ApplyAndHealAsync(fault);

            Assert.That(lanes.Sum(l => l.Restarts), Is.EqualTo(1), "one lane restarted");
            var lane = lanes.FindIndex(l => l.Restarts == 1);
            chosen.Add(lane);
            Assert.That(bench.Events().Select(e => (e.Phase, e.Detail)), Is.EqualTo(new[]
            {
                (FaultPhase.Start, "kill the running producer identity"),
                (FaultPhase.Verified, $"p{lane} stopped after 100 sends; p{lane + 3} took over"),
                (FaultPhase.End, "replacement identity running"),
            }));

            // The same seed picks the same lane again.
            using var again = new FaultBench(Directory.CreateDirectory(Path.Combine(TestDirectory, $"{seed}-again")).FullName);
            var replay = Enumerable.Range(0, 3).Select(i => new FakeProducer("")).ToList();
            await again.ApplyAndHealAsync(FaultKinds.Create(new FaultSpec { Kind = FaultKinds.RestartProducer }, again.Context(seed, producers: replay)));
            Assert.That(replay[lane].Restarts, Is.EqualTo(1), $"seed {seed} replays lane {lane}");
        }

        Assert.That(chosen.Distinct().Count(), Is.EqualTo(3), "over 20 seeds every lane is chosen");
    }

    [Test]
    public async Task RestartProducer_WithResend_SaysTheNextIdentityResendsTheUnknownSends()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = FaultKinds.Create(new FaultSpec { Kind = FaultKinds.RestartProducer }, bench.Context(producers: [new FakeProducer("p0 stopped", resend: true)]));

        await bench.ApplyAndHealAsync(fault);

        Assert.That(bench.Events()[0].Detail, Is.EqualTo("kill the running producer identity; the next resends its unknown sends"));
    }

    [Test]
    public void ClientFaults_WithoutTheRunsClients_AreRefusedWhenBuilt()
    {
        using var bench = new FaultBench(TestDirectory);

        Assert.That(() => FaultKinds.Create(new FaultSpec { Kind = FaultKinds.RestartProducer }, bench.Context()),
            Throws.InvalidOperationException.With.Message.EqualTo("restart-producer needs the run's producers"));
        Assert.That(() => FaultKinds.Create(new FaultSpec { Kind = FaultKinds.RestartConsumer }, bench.Context()),
            Throws.InvalidOperationException.With.Message.EqualTo("restart-consumer needs the run's consumers"));
    }

    private sealed class FakeConsumers(string? evidence) : IRestartableConsumers
    {
        public List<CrashPoint> Asked { get; } = [];

        public Task<string?> RestartAsync(CrashPoint point, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Asked.Add(point);
            return Task.FromResult(evidence);
        }
    }

    private sealed class FakeProducer(string evidence, bool resend = false) : IRestartableProducer
    {
        public int Restarts { get; private set; }

        public bool ResendUnknownOnRestart => resend;

        public Task<string> RestartAsync(CancellationToken cancellationToken)
        {
            Restarts++;
            return Task.FromResult(evidence);
        }
    }
}
