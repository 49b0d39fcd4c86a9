namespace KafkaChaos.Reporting;

/// <summary>One expectation checked against a cell's counts: what was expected, what was counted.</summary>
public sealed record ExpectationResult(string Expectation, string Count, long Actual, bool Met);
