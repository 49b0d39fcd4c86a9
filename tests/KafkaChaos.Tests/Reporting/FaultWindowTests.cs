using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.Tests.Reporting;

public class FaultWindowTests
{
    [Test]
    public void From_PairsEachStartWithItsOwnVerificationAndHeal_AndMarksClientRestartsInstant()
    {
        FaultEvent E(string fault, FaultPhase phase, string target, long ms) => new(fault, phase, target, ms, "");
        var events = new[]
        {
            E("kill-leader", FaultPhase.Start, "broker-2", 1_000),
            E("restart-producer", FaultPhase.Start, "producer", 2_000),
            E("restart-producer", FaultPhase.Verified, "producer", 2_050),
            E("restart-producer", FaultPhase.End, "producer", 2_060),
            E("kill-leader", FaultPhase.Verified, "broker-2", 7_100),
            E("net-loss", FaultPhase.Start, "broker-1", 8_000),
            E("kill-leader", FaultPhase.End, "broker-2", 13_700),
            E("heal-all", FaultPhase.End, "cluster", 20_000),
        };

        var windows = FaultWindow.From(events);

        Assert.That(windows.Select(w => (w.Fault, w.VerifiedAfterSeconds, w.LastedSeconds, w.Instant)), Is.EqualTo(new (string, double?, double?, bool)[]
        {
            ("kill-leader", 6.1, 12.7, false),
            ("restart-producer", 0.05, 0.06, true),
            ("net-loss", null, null, false),
        }));
        Assert.That(windows[0].DescribePhases(), Is.EqualTo("verified after 6.1 s, healed after 12.7 s"));
        Assert.That(windows[2].DescribePhases(), Is.EqualTo("never verified, not healed when the history ends"));
    }
}
