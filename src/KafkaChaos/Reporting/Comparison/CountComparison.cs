namespace KafkaChaos.Reporting.Comparison;

/// <summary>One count of one cell across the compared runs, in their order; a run without the cell has null.</summary>
public sealed record CountComparison(string Count, bool IsAnomaly, IReadOnlyList<CountObservation?> Runs, CountChange Change);
