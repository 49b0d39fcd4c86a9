using KafkaChaos.Experiments;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;

namespace KafkaChaos.Reporting.Comparison;

/// <summary>
/// Compares runs of one experiment file: the first is the baseline, the last is judged against it. A pure
/// function of the results documents, so that what a nightly job acts on can be tested on hand-made runs.
/// </summary>
/// <remarks>
/// A rate changes only when the two 95% Wilson intervals do not overlap: one clean night of a race says
/// little (0 of 1 allows up to 79%), and compare must not cry wolf on it. A count that was never above 0
/// before and is now is a new anomaly whatever the intervals, because the last run has shown a behaviour the
/// first never did.
/// </remarks>
public static class RunComparer
{
    /// <summary>Settings every run sets anew, whose difference says nothing about the cell.</summary>
    private static readonly string[] RunOwnSettings = ["nemesis.seed"];

    /// <exception cref="ExperimentConfigException">Fewer than two runs, or runs of different experiments.</exception>
    public static RunComparison Compare(IReadOnlyList<ComparedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count < 2)
        {
            throw new ExperimentConfigException($"compare needs two run directories or more, and was given {runs.Count}");
        }

        var named = runs.Where(r => r.Results.Experiment is not null).Select(r => (r.Directory, Name: r.Results.Experiment!)).ToList();
        if (named.Select(n => n.Name).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            var first = named[0];
            var other = named.First(n => n.Name != first.Name);
            throw new ExperimentConfigException($"{other.Directory}: a run of experiment '{other.Name}', and {first.Directory} is one of '{first.Name}'; compare runs of one experiment file");
        }

        var cellNames = runs.SelectMany(r => r.Results.Cells).Select(c => RepetitionGroup.BaseName(c.Name)).Distinct(StringComparer.Ordinal).ToList();
        return new RunComparison(named.Count > 0 ? named[0].Name : "", runs.Select(r => r.Label).ToList(), cellNames.Select(name => CompareCell(name, runs)).ToList());
    }

    private static CellComparison CompareCell(string name, IReadOnlyList<ComparedRun> runs)
    {
        var repetitions = runs.Select(r => r.Results.Cells.Where(c => RepetitionGroup.BaseName(c.Name) == name).ToList()).ToList();
        var judged = repetitions.Select(cells => cells.Where(c => c.Status == RunStatus.Completed && c.Valid).ToList()).ToList();
        var counts = LedgerCountCatalog.All.Select(count => CompareCount(count, judged, repetitions)).ToList();
        var expectations = CompareExpectations(name, runs, repetitions);

        var regressions = new List<string>();
        var (first, last) = (runs[0].Label, runs[^1].Label);
        foreach (var count in counts)
        {
            if (count.Change == CountChange.NewAnomaly)
            {
                regressions.Add($"{count.Count}: a new anomaly, {count.Runs[^1]} in {last}, never above 0 in {first} ({count.Runs[0]})");
            }
            else if (count.Change == CountChange.RateUp)
            {
                regressions.Add($"{count.Count}: seen in {Rate(count.Runs[^1]!)} in {last}, up from {Rate(count.Runs[0]!)} in {first}, beyond both intervals");
            }
        }

        regressions.AddRange(expectations.Where(e => e.NewlyFailed).Select(e => $"'{e.Expectation}' failed in {last}, met in {first}"));
        return new CellComparison(name, judged.Select(j => j.Count).ToList(), repetitions.Select(r => r.Count > 0).ToList(),
            Differences(repetitions), counts, expectations, regressions);
    }

    private static CountComparison CompareCount(LedgerCount count, List<List<CellResult>> judged, List<List<CellResult>> repetitions)
    {
        var observations = judged.Select((cells, i) => repetitions[i].Count == 0 ? null : Observe(count, cells)).ToList();
        var change = CountChange.Unchanged;
        if (count.IsAnomaly && observations[0] is { Runs: > 0 } before && observations[^1] is { Runs: > 0 } after)
        {
            change = before.Seen == 0 && after.Seen > 0 ? CountChange.NewAnomaly
                : after.Interval.Low > before.Interval.High ? CountChange.RateUp
                : after.Interval.High < before.Interval.Low ? CountChange.RateDown
                : CountChange.Unchanged;
        }

        return new CountComparison(count.Name, count.IsAnomaly, observations, change);
    }

    private static CountObservation Observe(LedgerCount count, List<CellResult> judged)
    {
        var values = judged.Select(c => count.Read(c.Counts)).Where(v => v is not null).Select(v => v!.Value).ToList();
        return new CountObservation(values.Count == 0 ? null : values.Sum(), values.Count(v => v > 0), values.Count);
    }

    /// <summary>
    /// Expectations per run: a plain one is met when every judged repetition met it; one stated as a rate is met
    /// as its repetition group judged it.
    /// </summary>
    private static List<ExpectationComparison> CompareExpectations(string name, IReadOnlyList<ComparedRun> runs, List<List<CellResult>> repetitions)
    {
        var perRun = runs.Select((run, i) =>
        {
            var met = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var result in repetitions[i].Where(c => c.Status == RunStatus.Completed && c.Valid).SelectMany(c => c.Expectations ?? []).Where(e => e.AtLeast is null))
            {
                met[result.Expectation] = met.GetValueOrDefault(result.Expectation, true) && result.Met;
            }

            foreach (var rate in (run.Results.Repetitions ?? []).Where(g => g.Cell == name).SelectMany(g => g.Expectations))
            {
                met[$"{rate.Expectation} in at least {rate.AtLeast} of the repetitions"] = rate.Met;
            }

            return met;
        }).ToList();

        return perRun.SelectMany(m => m.Keys).Distinct(StringComparer.Ordinal).Select(expectation =>
        {
            var met = perRun.Select(m => m.TryGetValue(expectation, out var held) ? held : (bool?)null).ToList();
            return new ExpectationComparison(expectation, met, met[0] == true && met[^1] == false);
        }).ToList();
    }

    private static Dictionary<string, IReadOnlyList<string?>> Differences(List<List<CellResult>> repetitions)
    {
        var configs = repetitions.Select(cells => cells.FirstOrDefault()?.Config).ToList();
        var present = configs.Where(c => c is not null).ToList();
        return present.SelectMany(c => c!.Keys).Distinct(StringComparer.Ordinal).Where(k => !RunOwnSettings.Contains(k))
            .Where(key => present.Select(c => c!.GetValueOrDefault(key)).Distinct(StringComparer.Ordinal).Count() > 1)
            .Order(StringComparer.Ordinal)
            .ToDictionary(key => key, key => (IReadOnlyList<string?>)configs.Select(c => c?.GetValueOrDefault(key)).ToList(), StringComparer.Ordinal);
    }

    private static string Rate(CountObservation observation) => FormattableString.Invariant($"{observation.Seen} of {observation.Runs} ({observation.Interval})");
}
