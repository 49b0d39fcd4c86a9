namespace KafkaChaos.Reporting;

/// <summary>
/// results.json, documented in docs/results.md. <see cref="SchemaVersion"/> changes whenever a field
/// is renamed or its meaning changes; added fields do not change it.
/// </summary>
public sealed record ResultsDocument(
    int SchemaVersion,
    string RunId,
    Journal.RunStatus Status,
    string? Error,
    long StartedMs,
    long EndedMs,
    IReadOnlyList<CellResult> Cells,
    string? Experiment = null,
    string? Description = null)
{
    public const int CurrentSchemaVersion = 2;

    /// <summary>The repeated cells taken together: rates with their intervals, and the expectations stated as rates.</summary>
    public IReadOnlyList<RepetitionGroup>? Repetitions { get; init; }

    /// <summary>The tool's version (and commit) that wrote the run; null in results written before it was recorded.</summary>
    public string? ToolVersion { get; init; }

    /// <summary>A digest of the plan's cells and their settings (see <c>Shard.PlanDigest</c>): runs of one file share it.</summary>
    public string? PlanDigest { get; init; }

    /// <summary>Set for a run of one shard of its plan; null for a whole run.</summary>
    public ShardRecord? Shard { get; init; }

    /// <summary>Every cell that ran passed, and every rate expectation was met.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Passed => Cells.All(c => c.Status == Journal.RunStatus.Unsupported || c.Passed) && (Repetitions ?? []).All(g => g.Passed);
    public const string FileName = "results.json";
}
