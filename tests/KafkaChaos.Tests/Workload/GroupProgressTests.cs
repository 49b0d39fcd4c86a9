using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.Tests.Workload;

public class GroupProgressTests
{
    [Test]
    public void Instances_AreCombined_HighestOffsetPerPartition_RecordsSummed_LatestTime()
    {
        var group = new GroupProgress();
        group.Started(1_000);
        var first = group.Join();
        var second = group.Join();

        first.Reached(0, 9, 1_100);
        first.Reached(1, 4, 1_200);
        second.Reached(1, 7, 1_150);
        second.Reached(1, 2, 1_160); // a redelivery below what it read already

        Assert.Multiple(() =>
        {
            Assert.That((group.Next(0), group.Next(1), group.Next(2)), Is.EqualTo((10L, 8L, 0L)));
            Assert.That(group.Records, Is.EqualTo(4));
            Assert.That(group.LastRecordMillis, Is.EqualTo(1_200));
            Assert.That((first.Next(1), second.Next(1)), Is.EqualTo((5L, 8L)));
        });
    }

    [Test]
    public void LastRecordMillis_BeforeAnyRecord_IsWhenTheGroupStarted()
    {
        var group = new GroupProgress();
        group.Started(5_000);
        group.Join();

        Assert.That((group.LastRecordMillis, group.Records), Is.EqualTo((5_000L, 0L)));
    }

    [Test]
    public void BehindAndHasReached_IgnoreEmptyPartitions_AndCountWhatADeadInstanceRead()
    {
        var group = new GroupProgress();
        var dead = group.Join();
        dead.Reached(0, 99, 1);
        var replacement = group.Join();
        replacement.Reached(2, 49, 2);
        var ends = new Dictionary<int, long> { [0] = 100, [1] = 0, [2] = 60 };

        Assert.That((group.Behind(ends), group.HasReached(ends)), Is.EqualTo((new[] { 2 }, false)));

        replacement.Reached(2, 59, 3);
        Assert.That((group.Behind(ends), group.HasReached(ends)), Is.EqualTo((Array.Empty<int>(), true)));
    }

    [Test]
    public void Reached_BeyondTheFirstPartitions_GrowsAndKeepsWhatWasRead()
    {
        var progress = new GroupProgress().Join();
        for (var partition = 0; partition < 100; partition++)
        {
            progress.Reached(partition, partition * 10, partition);
        }

        Assert.That(Enumerable.Range(0, 100).Select(progress.Next), Is.EqualTo(Enumerable.Range(0, 100).Select(p => p * 10L + 1)));
        Assert.That(progress.Records, Is.EqualTo(100));
    }

    [Test]
    public void Readers_OnOtherThreads_SeeOffsetsOnlyGrow_WhileTheWriterAddsPartitions()
    {
        var group = new GroupProgress();
        var progress = group.Join();
        const int Partitions = 64;
        const long Offsets = 20_000;
        using var done = new ManualResetEventSlim();
        var writer = Task.Run(() =>
        {
            for (long offset = 0; offset < Offsets; offset++)
            {
                for (var partition = 0; partition < Math.Min(Partitions, 1 + (offset / 100)); partition++)
                {
                    progress.Reached(partition, offset, offset);
                }
            }

            done.Set();
        });

        var lastSeen = new long[Partitions];
        var wentBack = false;
        while (!done.IsSet)
        {
            for (var partition = 0; partition < Partitions; partition++)
            {
                var next = group.Next(partition);
                wentBack |= next < lastSeen[partition];
                lastSeen[partition] = next;
            }
        }

        writer.Wait();
        Assert.Multiple(() =>
        {
            Assert.That(wentBack, Is.False);
            Assert.That(Enumerable.Range(0, Partitions).All(p => group.Next(p) == Offsets), Is.True);
        });
    }
}
