using KafkaChaos.Bench;
using KafkaChaos.Faults;
using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.Tests.Bench;

public class BenchTargetsTests
{
    private static RunMetrics Run(double rate, double allocated, long p99 = 0, long endToEndP99 = 0) =>
        new("x", 1000, 1, rate, 0, 0, 1, allocated, 0, 0, 0, Latency(p99), EndToEnd: Latency(endToEndP99));

    private static LatencySummary? Latency(long p99) => p99 == 0 ? null : new LatencySummary(1, 1, 1, p99, p99, p99, p99);

    [Test]
    public void Check_AppliesTheLimitsBySizeAndReportsTheMeasuredFigure()
    {
        var cell = new BenchCellResult(new BenchCell(100, "1", 5, 3),
            [Run(100, 100), Run(100, 100), Run(100, 100)], [Run(91, 150), Run(89, 170), Run(90, 200)],
            [new PacedResult(0.1, 10, [Run(10, 0, 1000, 3000), Run(10, 0, 990, 2000), Run(10, 0, 5000, 9000)],
                [Run(10, 0, 1060, 3100), Run(10, 0, 900, 1000), Run(10, 0, 1200, 3000)])],
            [Run(100, 0)], [Run(95, 0)], [Run(100, 0)], PeakWorkingSetBytes: 0);

        var results = BenchTargets.Check([cell]);

        Assert.That(results.Select(r => (r.Target.Split(' ')[1], r.Met)), Is.EqualTo(new[]
        {
            ("producer", true), ("consumer", true), ("produce-to-ack", true), ("end-to-end", true), ("allocated", false),
        }), "produce-to-ack: the median 1,060 µs is above raw × 1.05, but the rounds (1.06, 0.91, 0.24) hold the limit: not a miss");
        Assert.That(results[2].Measured, Is.EqualTo("1,060 µs"), "the median p99 of the harness runs, against the median of the raw ones (1,000 µs)");
        Assert.That(results[3].Measured, Is.EqualTo("3,000 µs"), "end-to-end: the harness's median p99 against the raw client's (3,000 µs)");
        Assert.That(results[4].Measured, Is.EqualTo("70.0 B"));
    }

    [Test]
    public void Check_SaysWhenTheRoundsSpreadAcrossTheLimit()
    {
        // Producer rounds 0.80, 1.20, 0.93, 0.96, 0.99: the median clears 0.90, but one round fell below it.
        // Consumer rounds 0.95 to 1.10: every round clears 0.90.
        var cell = new BenchCellResult(new BenchCell(100, "all", 5, 3),
            [Run(100, 0), Run(100, 0), Run(100, 0), Run(100, 0), Run(100, 0)], [Run(80, 0), Run(120, 0), Run(93, 0), Run(96, 0), Run(99, 0)],
            [new PacedResult(0.1, 10,
                [Run(10, 0, 1000, 1000), Run(10, 0, 1000, 1000), Run(10, 0, 1000, 1000), Run(10, 0, 1000, 1000), Run(10, 0, 1000, 1000)],
                [Run(10, 0, 2000, 1000), Run(10, 0, 2100, 1010), Run(10, 0, 2200, 1020), Run(10, 0, 2300, 990), Run(10, 0, 2400, 1100)])],
            [Run(100, 0), Run(100, 0), Run(100, 0), Run(100, 0), Run(100, 0)], [Run(95, 0), Run(110, 0), Run(100, 0), Run(97, 0), Run(105, 0)],
            [Run(100, 0)], PeakWorkingSetBytes: 0);

        var results = BenchTargets.Check([cell]);

        Assert.That(results.Take(4).Select(r => r.Verdict), Is.EqualTo(new[] { "met, within noise", "met", "MISSED (every round above the limit, not measured again)", "met, within noise" }),
            "producer: 0.80 in one round; consumer: all rounds clear; produce-to-ack: every round twice raw; end-to-end: 0.99 to 1.10 holds 1.05");
        Assert.That(results[0].Spread, Is.EqualTo("per round 0.800 to 1.200 (93.8% interval of the median of 5)"));
        Assert.That(results[2].Spread, Is.EqualTo("harness/raw p99 per round 2.00 to 2.40 (93.8% interval of the median of 5)"));
        Assert.That(results[4].Spread, Is.Null, "allocation has no rounds to spread");
    }

    private static PacedResult Paced(params (long Raw, long Harness)[] rounds) =>
        new(0.8, 10, [.. rounds.Select(r => Run(10, 0, r.Raw, r.Raw))], [.. rounds.Select(r => Run(10, 0, r.Harness, r.Raw))]);

    private static BenchCellResult CellWith(PacedResult paced) =>
        new(new BenchCell(100, "1", 5, 3), [Run(100, 0)], [Run(100, 0)], [paced], [Run(100, 0)], [Run(100, 0)], [Run(100, 0)], PeakWorkingSetBytes: 0);

    [Test]
    public void P99_MissesOnlyWhenEveryRoundIsAboveTheLimitTwice()
    {
        // Every round of the first measurement puts the harness's produce-to-ack p99 at 1.2 to 1.4 times raw (end-to-end equal).
        var above = Paced((1000, 1200), (1000, 1300), (1000, 1400), (1000, 1250), (1000, 1350));
        Assert.That(above.MissCandidates(), Is.EqualTo(new[] { "produce-to-ack" }));

        var reproduced = BenchTargets.Check([CellWith(above with { Reproduction = Paced((1000, 1100), (1000, 1200), (1000, 1060), (1000, 1300), (1000, 1150)) })]);
        var notReproduced = BenchTargets.Check([CellWith(above with { Reproduction = Paced((1000, 1100), (1000, 900), (1000, 1060), (1000, 1300), (1000, 1150)) })]);

        Assert.That(reproduced[2].Verdict, Is.EqualTo("MISSED (every round above the limit, reproduced)"));
        Assert.That(notReproduced[2].Verdict, Is.EqualTo("met (every round above the limit, not reproduced)"),
            "one round of the second measurement (0.90) was below the limit");
        Assert.That(notReproduced[2].Spread, Does.Contain("per round 1.20 to 1.40").And.Contain("measured again: raw 1,000 µs, harness 1,100 µs, per round 0.90 to 1.30"),
            "the report keeps both intervals");
        Assert.That(reproduced[3].Verdict, Is.EqualTo("met"), "end-to-end was equal in every round");
    }

    [Test]
    public void Peers_HoldTheHarnessProducerToTheVerifiableProducersThroughput()
    {
        var cell = new BenchCellResult(new BenchCell(100, "1", 5, 3), [Run(100, 0), Run(100, 0), Run(100, 0)], [Run(90, 0), Run(95, 0), Run(100, 0)], [],
            [Run(100, 0)], [Run(100, 0)], [Run(100, 0)], PeakWorkingSetBytes: 0)
        {
            PeerProducers = new Dictionary<string, IReadOnlyList<RunMetrics>>
            {
                ["verifiable-producer"] = [Run(50, 0), Run(100, 0), Run(60, 0)],
                ["producer-perf-test"] = [Run(200, 0), Run(200, 0), Run(200, 0)],
            },
        };

        var peer = BenchTargets.Check([cell]).Single(t => t.Target.Contains("verifiable-producer", StringComparison.Ordinal));

        Assert.That(peer.Measured, Is.EqualTo("1.667"), "rounds 1.80, 0.95, 1.67: the median");
        Assert.That(peer.Verdict, Is.EqualTo("met, within noise"), "one round was below 1.00");
    }

    [Test]
    public void Ratios_AreMediansOfTheRoundsThatMeasuredTheRawClient()
    {
        // Round 1's raw producer measured nothing: that round has no ratio, rather than an infinite one.
        var cell = new BenchCellResult(new BenchCell(100, "all", 5, 3),
            [Run(0, 0), Run(100, 0), Run(100, 0)], [Run(50, 0), Run(90, 0), Run(96, 0)], [],
            [Run(100, 0), Run(200, 0), Run(100, 0)], [Run(90, 0), Run(220, 0), Run(120, 0)], [Run(100, 0)], PeakWorkingSetBytes: 0);

        Assert.That(cell.ProducerRounds, Is.EqualTo(new[] { 0.90, 0.96 }));
        Assert.That(cell.ProducerRatio, Is.EqualTo(0.93).Within(1e-12));
        Assert.That(cell.ConsumerRounds, Is.EqualTo(new[] { 0.90, 1.10, 1.20 }).Within(1e-12));
        Assert.That(cell.ConsumerRatio, Is.EqualTo(1.10).Within(1e-12));
        Assert.That(BenchTargets.Check([cell])[0].Measured, Is.EqualTo("0.930"), "the target reads the same median the report shows");
    }

    [Test]
    public void Check_HoldsOnlyFaultFreeCellsToTheTargets()
    {
        var faulted = new BenchCellResult(new BenchCell(100, "all", 5, 3, null, 3, new FaultSpec { Kind = FaultKinds.KillLeader }),
            [Run(100, 0)], [Run(10, 0)], [], [Run(100, 0)], [Run(10, 0)], [Run(100, 0)], PeakWorkingSetBytes: 0);

        Assert.That(BenchTargets.Check([faulted]), Is.Empty);
    }
}
