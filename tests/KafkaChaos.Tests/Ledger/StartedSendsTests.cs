using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using NUnit.Framework;

namespace KafkaChaos.Tests.Ledger;

/// <summary>Sends started before a SIGKILL whose outcomes never reached produced.bin: counted, judged unknown, never phantoms.</summary>
public sealed class StartedSendsTests
{
    private static HistoryBuilder KilledMidFlush() => new HistoryBuilder()
        .Acked("p0", 0, 0, 0).Acked("p0", 1, 0, 1).Acked("p0", 2, 0, 2)
        .Consumed("p0", 0, 0, 0).Consumed("p0", 1, 0, 1).Consumed("p0", 2, 0, 2)
        .Consumed("p0", 3, 0, 3).Consumed("p0", 4, 0, 4); // stored and read; their outcomes died with the buffer

    [Test]
    public void Check_StartedWithoutOutcome_IsUnknownAndSplitByWhetherTheLogHasIt()
    {
        var history = KilledMidFlush().Build() with { StartedSends = new Dictionary<int, long> { [0] = 6 } };

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.Sent, counts.Acked, counts.Unknown), Is.EqualTo((6L, 3L, 3L)), "sequence 5 started too, and nothing says what became of it");
        Assert.That((counts.UnackedButDelivered, counts.LostUnacked, counts.Phantoms), Is.EqualTo((2L, 1L, 0L)));
    }

    [Test]
    public void Check_WithoutStartedCounts_TheSameLogHoldsPhantoms()
    {
        var counts = LedgerChecker.Check(KilledMidFlush().Build()).Counts;

        Assert.That((counts.Sent, counts.Phantoms), Is.EqualTo((3L, 2L)), "what a format-2 journal of a SIGKILLed run said");
    }

    [Test]
    public void Read_CountsSurviveTheWriter_AndDamageIsNamed()
    {
        var directory = Directory.CreateTempSubdirectory("started-").FullName;
        try
        {
            using (var started = new StartedSends(directory))
            {
                started.Started(0, 41);
                started.Started(7, 3);
            }

            Assert.That(StartedSends.Read(directory, bound: 100), Is.EqualTo(new Dictionary<int, long> { [0] = 41, [7] = 3 }));
            var error = Assert.Throws<JournalFormatException>(() => StartedSends.Read(directory, bound: 40));
            Assert.That(error!.Message, Does.Contain("byte 0: producer 0 started 41 sends, outside 0..40"));

            File.WriteAllBytes(Path.Combine(directory, StartedSends.FileName), new byte[12]);
            Assert.That(() => StartedSends.Read(directory, 100), Throws.TypeOf<JournalFormatException>().With.Message.Contains("12 bytes"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
