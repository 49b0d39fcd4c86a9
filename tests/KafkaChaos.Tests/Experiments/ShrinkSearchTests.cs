using KafkaChaos.Experiments;
using KafkaChaos.Experiments.Shrink;
using KafkaChaos.Faults;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace KafkaChaos.Tests.Experiments;

/// <summary>The shrink's search against a scripted oracle: its exact steps, what it keeps, and the budget.</summary>
public class ShrinkSearchTests
{
    private static readonly ExperimentSpec Failing = ExperimentSpec.Default with
    {
        Messages = 10_000,
        Faults =
        [
            new FaultSpec { Kind = FaultKinds.PauseBroker, Broker = 1, When = new FaultTrigger(TimeSpan.FromSeconds(2)), Duration = TimeSpan.FromSeconds(3) },
            new FaultSpec { Kind = FaultKinds.KillLeader, Partition = 0, When = new FaultTrigger(TimeSpan.FromSeconds(6)), Duration = TimeSpan.FromSeconds(8) },
            new FaultSpec { Kind = FaultKinds.NetLoss, Broker = 2, LossPercent = 20, When = new FaultTrigger(TimeSpan.FromSeconds(9)), Duration = TimeSpan.FromSeconds(4) },
            new FaultSpec { Kind = FaultKinds.RestartProducer, When = new FaultTrigger(TimeSpan.FromSeconds(12)) },
        ],
    };

    /// <summary>The scripted anomaly: a kill-leader held at least 1 s, firing by 6 s, over at least 2,000 messages; seen in every repetition, else in none.</summary>
    private static bool Shows(ExperimentSpec spec) =>
        spec.Messages >= 2_000 && spec.Faults.Any(f => f.Kind == FaultKinds.KillLeader && f.Duration >= TimeSpan.FromSeconds(1) && f.When.At <= TimeSpan.FromSeconds(6));

    [Test]
    public async Task Search_KeepsOnlyWhatTheAnomalyNeeds_InExactSteps()
    {
        var tries = new List<ShrinkTry>();
        var search = new ShrinkSearch((spec, _) => Task.FromResult(Shows(spec) ? 5 : 0), repetitions: 5, atLeast: 4, new FakeTimeProvider(), TimeSpan.FromHours(1), tries.Add);

        var smallest = await search.RunAsync(Failing, CancellationToken.None);

        Assert.That(smallest.Faults.Select(f => f.Kind), Is.EqualTo(new[] { FaultKinds.KillLeader }), "only the fault the anomaly needs");
        Assert.That(smallest.Faults[0].Duration, Is.EqualTo(TimeSpan.FromSeconds(1)), "8 s halved while it held: 4, 2, 1; 0.5 s lost it");
        Assert.That(smallest.Faults[0].When.At, Is.EqualTo(TimeSpan.FromSeconds(0.375)), "6 s halved to 3, 1.5, 0.75, 0.375; 0.1875 s is below the shortest worth trying");
        Assert.That(smallest.Messages, Is.EqualTo(2_500), "10,000 halved to 5,000 and 2,500; 1,250 lost it");
        var f = Failing.Faults.Select(x => x.Describe()).ToArray();
        Assert.That(tries.Select(t => (t.Change, t.Kept)), Is.EqualTo(new[]
        {
            ($"drop {f[0]}, {f[1]}", false),
            ($"drop {f[2]}, {f[3]}", true),
            ($"drop {f[0]}", true),
            ("kill-leader's hold 8 s -> 4 s", true),
            ("kill-leader's hold 4 s -> 2 s", true),
            ("kill-leader's hold 2 s -> 1 s", true),
            ("kill-leader's hold 1 s -> 0.5 s", false),
            ("kill-leader's start 6 s -> 3 s", true),
            ("kill-leader's start 3 s -> 1.5 s", true),
            ("kill-leader's start 1.5 s -> 0.75 s", true),
            ("kill-leader's start 0.75 s -> 0.375 s", true),
            ("messages 10000 -> 5000", true),
            ("messages 5000 -> 2500", true),
            ("messages 2500 -> 1250", false),
        }));
        Assert.That(tries[^1].ToString(), Is.EqualTo("try 14: messages 2500 -> 1250: seen in 0 of 5 (0%–43%)"));
        Assert.That(tries[^2].ToString(), Is.EqualTo("try 13: messages 5000 -> 2500: seen in 5 of 5 (57%–100%), kept"));
    }

    [Test]
    public async Task Search_KeepsACandidateOnlyWhenItShowsInAtLeastKOfN()
    {
        // Without the pause the anomaly shows in 3 of 5: below 4 of 5, so the pause is not dropped.
        var search = new ShrinkSearch((spec, _) => Task.FromResult(spec.Faults.Any(f => f.Kind == FaultKinds.PauseBroker) ? 5 : 3),
            repetitions: 5, atLeast: 4, new FakeTimeProvider(), TimeSpan.FromHours(1), _ => { });

        var smallest = await search.RunAsync(Failing with { Faults = [Failing.Faults[0], Failing.Faults[1]] }, CancellationToken.None);

        Assert.That(smallest.Faults.Select(f => f.Kind), Is.EqualTo(new[] { FaultKinds.PauseBroker }));
        Assert.That(search.Tries.First(t => t.Change.StartsWith("drop pause-broker", StringComparison.Ordinal)).Kept, Is.False, "3 of 5 is not 4 of 5");
    }

    [Test]
    public async Task Search_StopsAtTheBudget_KeepingTheBestSoFar()
    {
        var time = new FakeTimeProvider();
        var search = new ShrinkSearch((spec, _) =>
        {
            time.Advance(TimeSpan.FromMinutes(4)); // each try takes 4 minutes of runs
            return Task.FromResult(5);
        }, repetitions: 5, atLeast: 4, time, TimeSpan.FromMinutes(10), _ => { });

        var smallest = await search.RunAsync(Failing, CancellationToken.None);

        Assert.That(search.Tries, Has.Count.EqualTo(3), "the third try ended past the 10-minute budget");
        Assert.That(smallest.Faults.Count, Is.LessThan(Failing.Faults.Count), "what held before the budget ran out is kept");
    }
}
