namespace KafkaChaos.Experiments;

/// <summary>
/// An experiment file, expanded: every matrix cell (times repetitions) with its spec and expectations.
/// <see cref="Image"/> and <see cref="Version"/> are the file's <c>cluster.image</c> and
/// <c>cluster.version</c>: which broker image to run, and which Kafka version it must be.
/// <see cref="Attach"/> is its <c>cluster.attach</c>: a containerised cluster to run on instead of starting one.
/// </summary>
public sealed record ExperimentPlan(string Name, string Description, string SourcePath, IReadOnlyList<PlannedCell> Cells,
    string? Image = null, string? Version = null, string? Attach = null)
{
    /// <summary>Fails when the file names a version and the broker image resolved to another one.</summary>
    public void CheckVersion(Cluster.KafkaVersion resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        if (Version is { } wanted && !(resolved.ToString() + ".").StartsWith(wanted.TrimEnd('.') + ".", StringComparison.Ordinal))
        {
            throw new ExperimentConfigException($"{SourcePath}: cluster.version is {wanted}, but the broker image runs Kafka {resolved}; pass --image or --dist for {wanted}");
        }
    }
}

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
