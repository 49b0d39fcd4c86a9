namespace KafkaChaos.Experiments;

/// <summary>
/// Why a spec cannot run, keyed by the setting's name in experiment files (<c>topic.replication_factor</c>,
/// <c>faults[2]</c>), so that each caller can say where the user wrote it: a file and line, or a flag.
/// </summary>
public sealed record SpecProblem(string Setting, string Message)
{
    public override string ToString() => $"{Setting}: {Message}";
}
