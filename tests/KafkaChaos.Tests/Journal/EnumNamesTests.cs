using KafkaChaos.Journal;
using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.Tests.Journal;

/// <summary>
/// The spellings journals, results.json and experiment files already hold: they come from the members' names,
/// so a rename would change a file format silently; these pin them.
/// </summary>
public class EnumNamesTests
{
    [Test]
    public void Spellings_AreTheOnesWrittenFilesHold()
    {
        Assert.That(EnumNames<ConsumeKind>.All, Is.EqualTo(new[] { "processed", "duplicate-skipped", "abandoned", "unreadable", "assigned", "revoked", "final-read" }));
        Assert.That(EnumNames<FaultPhase>.All, Is.EquivalentTo(new[] { "start", "verified", "not-applied", "end" }));
        Assert.That(EnumNames<ProduceStatus>.All, Is.EquivalentTo(new[] { "acked", "failed", "unknown" }));
        Assert.That(EnumNames<RunStatus>.All, Is.EquivalentTo(new[] { "completed", "interrupted", "failed", "unsupported" }));
        Assert.That(EnumNames<CrashPoint>.All, Is.EqualTo(new[] { "between-process-and-commit", "after-commit", "between-process-and-mark" }));
        Assert.That(EnumNames<KeyStrategy>.All, Is.EqualTo(new[] { "none", "sequence", "fixed", "random" }));
    }

    [Test]
    public void TryParse_TakesOnlyTheExactSpelling()
    {
        Assert.That(EnumNames<ConsumeKind>.TryParse("final-read", out var kind) && kind == ConsumeKind.FinalRead, Is.True);
        Assert.That(EnumNames<ConsumeKind>.TryParse("FinalRead", out _), Is.False);
        Assert.That(EnumNames<ConsumeKind>.TryParse("final-read ", out _), Is.False);
        Assert.That(EnumNames<ConsumeKind>.TryParse(null, out _), Is.False);
        Assert.That(EnumNames<ConsumeKind>.TryParse("4", out _), Is.False, "never a number, as Enum.Parse would take");
    }

    [Test]
    public void ToName_OfAValueOutsideTheEnumeration_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EnumNames<ConsumeKind>.ToName((ConsumeKind)200));
}
