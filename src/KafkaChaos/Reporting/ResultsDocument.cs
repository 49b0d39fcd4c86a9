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
    public const string FileName = "results.json";
}
