using KafkaChaos.Bench;
using NUnit.Framework;

namespace KafkaChaos.Tests.Bench;

public class StatisticsTests
{
    [Test]
    public void IntervalOfMedian_FiveValues_IsTheWholeRangeAt93Point75Percent()
    {
        var interval = Statistics.IntervalOfMedian([0.95, 0.62, 1.26, 0.76, 1.22]);

        Assert.That((interval.Low, interval.High), Is.EqualTo((0.62, 1.26)));
        Assert.That(interval.Confidence, Is.EqualTo(1 - (2.0 / 32)).Within(1e-12), "both tails: all five above, or all five below, the median");
    }

    [Test]
    public void IntervalOfMedian_NineValues_DropsOneValueAtEachEnd()
    {
        var interval = Statistics.IntervalOfMedian([9, 1, 8, 2, 7, 3, 6, 4, 5]);

        Assert.That((interval.Low, interval.High), Is.EqualTo((2.0, 8.0)));
        Assert.That(interval.Confidence, Is.EqualTo(1 - (2 * 10.0 / 512)).Within(1e-12), "at most one of nine on either side: (1 + 9) / 512 per tail");
    }

    [Test]
    public void IntervalOfMedian_ThreeValues_CannotReach90PercentAndSaysSo()
    {
        var interval = Statistics.IntervalOfMedian([3, 1, 2]);

        Assert.That((interval.Low, interval.High, interval.Confidence), Is.EqualTo((1.0, 3.0, 0.75)));
    }

    [Test]
    public void IntervalOfMedian_ManyValues_HoldsTheTrueMedianAsOftenAsItSays()
    {
        // Skewed noise, as a shared machine gives: the interval must not assume a normal shape.
        var random = new Random(7);
        const int Trials = 4000;
        var held = 0;
        double confidence = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var values = Enumerable.Range(0, 15).Select(_ => Math.Exp(random.NextDouble() * 2)).ToArray(); // median e^1
            var interval = Statistics.IntervalOfMedian(values);
            confidence = interval.Confidence;
            held += interval.Contains(Math.E) ? 1 : 0;
        }

        Assert.That(confidence, Is.GreaterThanOrEqualTo(0.9));
        Assert.That((double)held / Trials, Is.EqualTo(confidence).Within(0.02));
    }

    [Test]
    public void IntervalOfMedian_NoValues_IsEmpty()
    {
        Assert.That(Statistics.IntervalOfMedian([]), Is.EqualTo(new MedianInterval(0, 0, 0)));
    }
}
