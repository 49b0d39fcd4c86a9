using System.Globalization;
using KafkaChaos.Faults;
using KafkaChaos.Journal;

namespace KafkaChaos.Reporting;

/// <summary>
/// One application of a fault as it really went: when it started, when its effect was seen, when it
/// was healed. A fault's <c>duration</c> is the time it is held after it was verified, so a kill-leader
/// "for 5 s" that takes 6 s to see a new leader and 2 s to heal is in effect for 13 s: these are the
/// times a reader needs, not the one asked for.
/// </summary>
/// <param name="Fault">The fault's kind.</param>
/// <param name="Target">What it hit.</param>
/// <param name="StartMs">When it was applied (Unix ms).</param>
/// <param name="VerifiedMs">When its effect was observed; null when it never was.</param>
/// <param name="EndMs">When it was healed or given up on; null when the history ends first.</param>
/// <param name="Instant">A fault that happens at one moment (a restart of a client), with nothing to hold.</param>
public sealed record FaultWindow(string Fault, string Target, long StartMs, long? VerifiedMs, long? EndMs, bool Instant)
{
    /// <summary>Seconds from the start to the verification, or null.</summary>
    public double? VerifiedAfterSeconds => VerifiedMs is { } v ? (v - StartMs) / 1000.0 : null;

    /// <summary>Seconds from the start to the heal: how long the fault was in effect, or null.</summary>
    public double? LastedSeconds => EndMs is { } e ? (e - StartMs) / 1000.0 : null;

    /// <summary>"verified after 6.1 s, healed after 12.7 s" for logs and tables.</summary>
    public string DescribePhases() => Instant
        ? VerifiedAfterSeconds is { } done ? $"done in {Seconds(done)}" : "never verified"
        : $"{(VerifiedAfterSeconds is { } v ? $"verified after {Seconds(v)}" : "never verified")}, "
          + (LastedSeconds is { } l ? $"healed after {Seconds(l)}" : "not healed when the history ends");

    /// <summary>Each application in <paramref name="faults"/>, in start order: a start paired with the verification and end that follow it for the same fault and target.</summary>
    public static IReadOnlyList<FaultWindow> From(IReadOnlyList<FaultEvent> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var windows = new List<FaultWindow>();
        var open = new List<int>();
        foreach (var e in faults.OrderBy(f => f.TimestampMs))
        {
            if (e.Phase == FaultPhase.Start)
            {
                open.Add(windows.Count);
                windows.Add(new FaultWindow(e.Fault, e.Target, e.TimestampMs, null, null,
                    FaultKinds.All.Contains(e.Fault) && !FaultKinds.HasDuration(e.Fault)));
                continue;
            }

            var index = open.FirstOrDefault(i => windows[i].Fault == e.Fault && windows[i].Target == e.Target, -1);
            if (index < 0)
            {
                continue; // heal-all and other events without a start
            }

            if (e.Phase == FaultPhase.Verified)
            {
                windows[index] = windows[index] with { VerifiedMs = e.TimestampMs };
            }
            else
            {
                windows[index] = windows[index] with { EndMs = e.TimestampMs };
                open.Remove(index);
            }
        }

        return windows;
    }

    private static string Seconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
