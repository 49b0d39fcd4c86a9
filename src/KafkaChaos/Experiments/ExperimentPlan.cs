namespace KafkaChaos.Experiments;

/// <summary>An experiment file, expanded: every matrix cell (times repetitions) with its spec and expectations.</summary>
public sealed record ExperimentPlan(string Name, string Description, string SourcePath, IReadOnlyList<PlannedCell> Cells);

/// <summary>
/// One cell to run. <see cref="Settings"/> is the cell's full flat configuration (the keys matrix axes
/// and expectations use); <see cref="Axes"/> the matrix values that make this cell what it is.
/// </summary>
public sealed record PlannedCell(
    string Name,
    ExperimentSpec Spec,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, string> Axes,
    IReadOnlyList<Expectation> Expectations,
    int Repetition);
