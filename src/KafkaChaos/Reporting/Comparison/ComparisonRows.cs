namespace KafkaChaos.Reporting.Comparison;

/// <summary>
/// What the markdown and the HTML page of a comparison both show, so the two cannot disagree: the counts of a
/// cell worth a row, and each cell's words per run.
/// </summary>
internal static class ComparisonRows
{
    /// <summary><c>sent</c>, then every count above 0 in some run, and every count whose change is judged.</summary>
    public static IEnumerable<CountComparison> Shown(CellComparison cell) =>
        cell.Counts.Where(c => c.Count == Ledger.LedgerCountCatalog.Sent.Name || c.Change != CountChange.Unchanged || c.Runs.Any(r => r?.Total > 0));

    /// <summary>A count in one run: its value, or why there is none.</summary>
    public static string Value(CellComparison cell, CountComparison count, int run) =>
        !cell.Present[run] ? "not in this run" : cell.Judged[run] == 0 ? "not judged" : count.Runs[run]?.ToString() ?? "—";

    public static string Change(CountChange change) => change switch
    {
        CountChange.NewAnomaly => "worse: new anomaly",
        CountChange.RateUp => "worse: rate up",
        CountChange.RateDown => "better: rate down",
        _ => "",
    };

    public static string Met(bool? met) => met switch { true => "met", false => "failed", null => "—" };

    /// <summary>The one line that opens every output.</summary>
    public static string Headline(RunComparison comparison)
    {
        var worse = comparison.Cells.Count(c => c.Regressions.Count > 0);
        var (first, last) = (comparison.Runs[0], comparison.Runs[^1]);
        return worse == 0
            ? $"No cell got worse from {first} to {last} ({comparison.Cells.Count} cell(s), {comparison.Runs.Count} runs)."
            : $"{worse} of {comparison.Cells.Count} cell(s) got worse from {first} to {last}.";
    }
}
