namespace KafkaChaos.Reporting;

/// <summary>One expectation checked against a cell's counts: what was expected, what was counted (null: the history could not judge it).</summary>
public sealed record ExpectationResult(string Expectation, string Count, long? Actual, bool Met)
{
    /// <summary>The counted value as every report shows it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Got => Ledger.LedgerCountCatalog.Format(Actual);
}
