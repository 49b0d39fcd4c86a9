using KafkaChaos.Reporting;

namespace KafkaChaos.Experiments;

/// <summary>Where a run left its files and what it found.</summary>
public sealed record RunOutcome(string RunDirectory, ResultsDocument Results);
