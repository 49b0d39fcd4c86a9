namespace KafkaChaos.Reporting;

/// <summary>One expectation checked against a cell's counts: what was expected, what was counted (null: the history could not judge it).</summary>
public sealed record ExpectationResult(string Expectation, string Count, long? Actual, bool Met)
{
    /// <summary>
    /// Set for an expectation stated as a rate ("in at least 3 of the repetitions"): one repetition that
    /// misses it does not fail its cell; the cell's <see cref="RepetitionGroup"/> judges the rate.
    /// </summary>
    public int? AtLeast { get; init; }

    /// <summary>The counted value as every report shows it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Got => Ledger.LedgerCountCatalog.Format(Actual);
}
