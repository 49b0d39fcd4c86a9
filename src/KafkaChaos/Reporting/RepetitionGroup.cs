using KafkaChaos.Journal;
using KafkaChaos.Ledger;

namespace KafkaChaos.Reporting;

/// <summary>
/// The repetitions of one matrix cell taken together: how often each count was above 0, whether the
/// outcome varied between repetitions, and the expectations stated as rates. Races are judged here, not
/// on any single run: a race that showed nothing once has not been shown absent.
/// </summary>
/// <param name="Cell">The cell's name without its <c>#k</c> repetition suffix.</param>
/// <param name="Runs">Repetitions that completed with a valid verdict; the others do not count either way.</param>
/// <param name="Seen">Each count that was above 0 in some repetition: in how many, with its interval.</param>
/// <param name="Varies">Some count was above 0 in some repetitions and not in others.</param>
/// <param name="Expectations">The expectations stated as rates, and how many repetitions met each.</param>
public sealed record RepetitionGroup(string Cell, int Runs, IReadOnlyList<CountRate> Seen, bool Varies, IReadOnlyList<RateExpectationResult> Expectations)
{
    /// <summary>Every rate expectation met (true when there are none).</summary>
    public bool Passed => Expectations.All(e => e.Met);

    /// <summary>The groups of a run's repeated cells, in the order they first ran; cells run once form none.</summary>
    public static IReadOnlyList<RepetitionGroup> Of(IReadOnlyList<CellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return cells.Where(c => c.Status != RunStatus.Unsupported)
            .GroupBy(c => BaseName(c.Name))
            .Where(g => g.Count() > 1 || g.Any(c => c.Name != g.Key))
            .Select(Group)
            .ToArray();
    }

    /// <summary>"m[acks=1]#3" is repetition 3 of "m[acks=1]".</summary>
    public static string BaseName(string cellName)
    {
        ArgumentNullException.ThrowIfNull(cellName);
        var hash = cellName.LastIndexOf('#');
        return hash > 0 && cellName[(hash + 1)..].All(char.IsAsciiDigit) && hash + 1 < cellName.Length ? cellName[..hash] : cellName;
    }

    private static RepetitionGroup Group(IGrouping<string, CellResult> repetitions)
    {
        var judged = repetitions.Where(c => c.Status == RunStatus.Completed && c.Valid).ToList();
        var seen = new List<CountRate>();
        foreach (var count in LedgerCountCatalog.All.Where(c => c.IsAnomaly))
        {
            var values = judged.Select(c => count.Read(c.Counts)).Where(v => v is not null).ToList();
            var above = values.Count(v => v > 0);
            if (above > 0)
            {
                var interval = WilsonInterval.Of(above, values.Count);
                seen.Add(new CountRate(count.Name, above, values.Count, interval.Low, interval.High));
            }
        }

        var expectations = judged.SelectMany(c => c.Expectations ?? []).Where(e => e.AtLeast is not null)
            .GroupBy(e => (e.Expectation, AtLeast: e.AtLeast!.Value))
            .Select(e =>
            {
                var held = e.Count(r => r.Met);
                return new RateExpectationResult(e.Key.Expectation, e.Key.AtLeast, held, judged.Count, held >= e.Key.AtLeast);
            })
            .ToArray();
        var planned = repetitions.SelectMany(c => c.Expectations ?? []).Where(e => e.AtLeast is not null).Select(e => (e.Expectation, e.AtLeast!.Value)).Distinct();
        var missing = planned.Where(p => expectations.All(e => (e.Expectation, e.AtLeast) != p))
            .Select(p => new RateExpectationResult(p.Expectation, p.Value, 0, judged.Count, false));
        return new RepetitionGroup(repetitions.Key, judged.Count, seen, seen.Any(s => s.Seen < s.Runs), [.. expectations, .. missing]);
    }
}
