using System.Globalization;

namespace KafkaChaos.Cluster;

/// <summary>
/// An Apache Kafka release, compared numerically ("0.9.0.1" &lt; "0.10.2" &lt; "3.9.0"). The feature
/// gates the tool derives from it are here, in one place, with the release that introduced each.
/// </summary>
public sealed record KafkaVersion(int Major, int Minor, int Patch, int Build = 0) : IComparable<KafkaVersion>
{
    public static bool TryParse(string? text, out KafkaVersion version)
    {
        version = new KafkaVersion(0, 0, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var core = text.Split('-', '+')[0];
        var parts = core.Split('.');
        if (parts.Length is < 2 or > 4)
        {
            return false;
        }

        var numbers = new int[4];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new KafkaVersion(numbers[0], numbers[1], numbers[2], numbers[3]);
        return true;
    }

    public static KafkaVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a Kafka version such as 0.9.0.1 or 3.9.0");

    /// <summary>Below 0.10 brokers have no ApiVersions request; clients must be told what to speak.</summary>
    public bool HasApiVersionsRequest => this >= new KafkaVersion(0, 10, 0);

    /// <summary>CreateTopics arrived in 0.10.1; older brokers create topics through ZooKeeper.</summary>
    public bool HasCreateTopicsApi => this >= new KafkaVersion(0, 10, 1);

    /// <summary>Idempotent producers and transactions arrived in 0.11 (KIP-98).</summary>
    public bool HasIdempotentProducer => this >= new KafkaVersion(0, 11, 0);

    /// <summary>ZooKeeper mode is gone from 4.0 (KIP-833): such a broker runs only in KRaft mode.</summary>
    public bool RequiresKRaft => this >= new KafkaVersion(4, 0, 0);

    /// <summary>KRaft is production-ready from 3.3 (KIP-833); earlier releases had it as a preview this tool does not start.</summary>
    public bool HasKRaft => this >= new KafkaVersion(3, 3, 0);

    /// <summary>KRaft controllers honour unclean.leader.election.enable from 3.9 (KAFKA-12670); before, a KRaft cluster never elects uncleanly.</summary>
    public bool HasKRaftUncleanElection => this >= new KafkaVersion(3, 9, 0);

    /// <summary>
    /// Dynamic controller quorums arrived in 3.9 (KIP-853): nodes find the quorum through
    /// controller.quorum.bootstrap.servers, and the voters are written once, by the storage format.
    /// </summary>
    public bool HasDynamicQuorum => this >= new KafkaVersion(3, 9, 0);

    public int CompareTo(KafkaVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = Major.CompareTo(other.Major);
        if (c == 0) c = Minor.CompareTo(other.Minor);
        if (c == 0) c = Patch.CompareTo(other.Patch);
        if (c == 0) c = Build.CompareTo(other.Build);
        return c;
    }

    public static bool operator <(KafkaVersion a, KafkaVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(KafkaVersion a, KafkaVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(KafkaVersion a, KafkaVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(KafkaVersion a, KafkaVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => Build == 0 && Major > 0
        ? $"{Major}.{Minor}.{Patch}"
        : $"{Major}.{Minor}.{Patch}.{Build}";
}
