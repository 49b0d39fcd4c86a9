using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.Tests.Workload;

public class LatencyRecorderTests
{
    [Test]
    public void Record_FromSeveralThreadsAtOnce_KeepsEverySample()
    {
        // librdkafka serves delivery reports on its background thread and on any thread that flushes or polls.
        const int Threads = 4;
        const int PerThread = 200_000;
        var recorder = new LatencyRecorder();
        using var start = new Barrier(Threads);

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                recorder.Record(100 + (i % 1000));
            }
        });

        var summary = recorder.Summarize();
        Assert.That(summary.Count, Is.EqualTo(Threads * PerThread));
        Assert.That(summary.Max, Is.InRange(1099, 1100), "within the histogram's 3 significant digits");
    }

    [Test]
    public void Add_MergesAnotherRecordersSamples_AndClampsNegativeLatencies()
    {
        var (first, second) = (new LatencyRecorder(), new LatencyRecorder());
        first.Record(-5);
        second.Record(2000);

        first.Add(second);

        var summary = first.Summarize();
        Assert.That((summary.Count, summary.P50), Is.EqualTo((2L, 0L)), "the negative sample counts as 0 µs");
        Assert.That(summary.Max, Is.InRange(1999, 2001));
    }

    [Test]
    public void Summarize_NoSample_IsAnEmptySummaryInsteadOfAnError()
    {
        // A cell in which every send failed (acks=2 on a 3-broker cluster) acknowledges nothing.
        Assert.That(new LatencyRecorder().Summarize(), Is.EqualTo(LatencySummary.Empty));
    }
}
