namespace KafkaChaos.Reporting.Comparison;

/// <summary>
/// Runs of one experiment file, the first taken as the baseline and the last as the run judged against it.
/// <see cref="Worse"/> is what <c>compare</c>'s exit code says.
/// </summary>
/// <param name="Experiment">The experiment's name, which every run shares.</param>
/// <param name="Runs">The runs' labels, in the order given.</param>
/// <param name="Cells">Every cell some run has, in the order they first appear.</param>
public sealed record RunComparison(string Experiment, IReadOnlyList<string> Runs, IReadOnlyList<CellComparison> Cells)
{
    /// <summary>Some cell got worse from the first run to the last: a new anomaly, a rate up beyond its interval, an expectation newly failed.</summary>
    public bool Worse => Cells.Any(c => c.Regressions.Count > 0);
}
