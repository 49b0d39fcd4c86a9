namespace KafkaChaos.Reporting.Comparison;

/// <summary>
/// One cell, matched across the runs by its name without the repetition suffix (its matrix settings are in the
/// name): how each run judged it, which of its settings differ between runs (the broker version, say), and each
/// count and expectation side by side.
/// </summary>
/// <param name="Cell">The cell's name, without <c>#k</c>.</param>
/// <param name="Judged">Per run, its judged repetitions; 0 where the run lacks the cell or judged no repetition.</param>
/// <param name="Present">Per run, whether it has the cell at all.</param>
/// <param name="Differences">Each setting whose value differs between the runs, with its value per run (null: not set).</param>
/// <param name="Counts">Every count of the catalog, in its order.</param>
/// <param name="Expectations">Every expectation some run checked.</param>
/// <param name="Regressions">Why the last run is worse than the first for this cell; empty when it is not.</param>
public sealed record CellComparison(
    string Cell,
    IReadOnlyList<int> Judged,
    IReadOnlyList<bool> Present,
    IReadOnlyDictionary<string, IReadOnlyList<string?>> Differences,
    IReadOnlyList<CountComparison> Counts,
    IReadOnlyList<ExpectationComparison> Expectations,
    IReadOnlyList<string> Regressions);
