namespace KafkaChaos.Reporting.Comparison;

/// <summary>
/// One expectation of one cell across the compared runs: whether each met it (null: that run had no verdict on
/// it), and whether the last failed what the first met.
/// </summary>
public sealed record ExpectationComparison(string Expectation, IReadOnlyList<bool?> Met, bool NewlyFailed);
