using KafkaChaos.Bench;
using NUnit.Framework;

namespace KafkaChaos.Tests.Bench;

public class ScaleGrowthTests
{
    [TestCase(new[] { 5.0, 5.1, 4.9 }, "flat")]
    [TestCase(new[] { 1.0, 10.0, 100.0 }, "linear")]
    [TestCase(new[] { 1.0, 3.0, 10.0 }, "sublinear")]
    [TestCase(new[] { 1.0, 100.0, 10_000.0 }, "faster than linear")]
    public void Fit_NamesTheExponentOfAPowerLaw(double[] totals, string expected)
    {
        var growth = ScaleGrowth.Fit("messages", "verify time", [(1e5, totals[0]), (1e6, totals[1]), (1e7, totals[2])]);

        Assert.That(growth.Class, Is.EqualTo(expected));
    }

    [Test]
    public void Fit_OfAQuadraticIsTwo()
    {
        Assert.That(ScaleGrowth.Fit("partitions", "x", [(3, 9), (30, 900), (300, 90_000)]).Exponent, Is.EqualTo(2).Within(1e-9));
    }

    private static ScaleResult Result(ScalePoint point, double harnessCpuPerMessage)
    {
        var phase = new ScalePhase(1, 1, 100_000_000, 0);
        return new ScaleResult(point, phase, phase with { CpuMicrosPerMessage = harnessCpuPerMessage }, phase, 20, phase, true);
    }

    [Test]
    public void Along_FitsEachAxisOnThePointsThatDifferFromTheBaselineInItAlone()
    {
        var baseline = new ScalePoint(3, 1, 1_000_000);
        var results = new[]
        {
            Result(baseline, 4),
            Result(baseline with { Partitions = 30 }, 4),
            Result(baseline with { Partitions = 300 }, 4),
            Result(baseline with { Producers = 4 }, 8),
            Result(baseline with { Producers = 16 }, 16),
            Result(baseline with { Messages = 100_000 }, 4),
            Result(baseline with { Messages = 10_000_000 }, 4),
        };

        var growth = ScaleGrowth.Along(baseline, results);
        ScaleGrowth Of(string axis, string figure) => growth.Single(g => g.Axis == axis && g.Figure == figure);

        Assert.That(Of("partitions", "harness CPU").Class, Is.EqualTo("flat"), "the same CPU per message for the same messages");
        Assert.That(Of("producers", "harness CPU").Exponent, Is.EqualTo(0.5).Within(1e-9), "CPU per message doubling for each fourfold of producers");
        Assert.That(Of("messages", "harness CPU").Class, Is.EqualTo("linear"), "a constant cost per message");
        Assert.That(Of("messages", "journal bytes").Class, Is.EqualTo("linear"));
        Assert.That(Of("messages", "harness peak memory").Class, Is.EqualTo("flat"));
    }
}
