using KafkaChaos.Cluster;

namespace KafkaChaos.Experiments;

/// <summary>A range of broker versions an expectation holds for: "&lt;0.11", "&gt;=0.11", "==0.9.0.1", "!=0.9.0.1".</summary>
public sealed record KafkaVersionBound(string Operator, KafkaVersion Version)
{
    public static bool TryParse(string text, out KafkaVersionBound? bound)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (op, number) = BoundOperator.Split(text);
        bound = Cluster.KafkaVersion.TryParse(number, out var version) ? new KafkaVersionBound(op, version) : null;
        return bound is not null;
    }

    public bool Admits(KafkaVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return BoundOperator.Holds(Operator, version.CompareTo(Version));
    }

    /// <summary>"&lt;0.11" as written, not "&lt;0.11.0.0": trailing zero parts say nothing.</summary>
    public override string ToString()
    {
        var parts = new[] { Version.Major, Version.Minor, Version.Patch, Version.Build };
        var shown = parts.Length;
        while (shown > 2 && parts[shown - 1] == 0)
        {
            shown--;
        }

        return Operator + string.Join('.', parts.Take(shown));
    }
}
