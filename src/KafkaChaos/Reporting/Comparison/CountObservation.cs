namespace KafkaChaos.Reporting.Comparison;

/// <summary>
/// One count of one cell in one run, over that run's judged repetitions (completed, with a valid verdict):
/// its total, and in how many repetitions it was above 0. A cell run once has <see cref="Runs"/> 1.
/// </summary>
/// <param name="Total">The sum over the repetitions; null where no repetition's history could judge it.</param>
/// <param name="Seen">Repetitions where it was above 0.</param>
/// <param name="Runs">Repetitions that judged it.</param>
public sealed record CountObservation(long? Total, int Seen, int Runs)
{
    /// <summary>The 95% Wilson interval of the rate <see cref="Seen"/> of <see cref="Runs"/>.</summary>
    public WilsonInterval Interval => WilsonInterval.Of(Seen, Runs);

    /// <summary>"12" for a cell run once; "12 (seen in 2 of 5, 12%–77%)" over repetitions; "—" where nothing judged it.</summary>
    public override string ToString() => Total is not { } total ? "—"
        : Runs == 1 ? Ledger.LedgerCountCatalog.Format(total)
        : FormattableString.Invariant($"{Ledger.LedgerCountCatalog.Format(total)} (seen in {Seen} of {Runs}, {Interval})");
}
