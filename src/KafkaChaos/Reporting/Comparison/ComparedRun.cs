namespace KafkaChaos.Reporting.Comparison;

/// <summary>One run directory given to <c>compare</c>: its results, and the label it goes by in every output.</summary>
/// <param name="Label">The run's id, as the run directory names it.</param>
/// <param name="Directory">Where its results.json was read.</param>
/// <param name="Results">The run's results.json.</param>
public sealed record ComparedRun(string Label, string Directory, ResultsDocument Results);
