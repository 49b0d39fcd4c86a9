namespace KafkaChaos.Cluster;

/// <summary>
/// A Kafka distribution's path together with where it was given, so that an error blames the flag the
/// user typed rather than an environment variable they never set.
/// </summary>
/// <param name="Path">A folder or a .tgz.</param>
/// <param name="Origin">How the user gave it: <c>--dist</c>, or <c>KAFKA_DIST</c>.</param>
public sealed record DistributionPath(string Path, string Origin)
{
    /// <summary>The environment variable a distribution falls back to when no flag names one.</summary>
    public const string EnvironmentVariable = "KAFKA_DIST";

    /// <summary>The <c>--dist</c> flag if given, else <c>$KAFKA_DIST</c> if set, else none.</summary>
    public static DistributionPath? FromFlagOrEnvironment(string? flag) =>
        !string.IsNullOrWhiteSpace(flag) ? new DistributionPath(flag, "--dist")
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? new DistributionPath(fromEnvironment, EnvironmentVariable)
        : null;

    /// <summary>How error messages name it, e.g. <c>--dist=/opt/kafka</c>.</summary>
    public override string ToString() => $"{Origin}={Path}";
}
