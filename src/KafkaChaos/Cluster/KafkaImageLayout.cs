using System.Text.RegularExpressions;

namespace KafkaChaos.Cluster;

/// <summary>
/// Where a Kafka image keeps the distribution: the folder of its scripts (with or without <c>.sh</c>) and of
/// its jars. The tool starts every image with its own command and server.properties, so this is all it needs
/// to know of an image, whichever project built it.
/// </summary>
/// <param name="Name">Which layout: the tool's own, apache/kafka's, bitnami/kafka's or Confluent's.</param>
/// <param name="BinDirectory">Where <c>kafka-server-start</c>, <c>kafka-storage</c> and <c>kafka-metadata-quorum</c> are.</param>
/// <param name="ScriptSuffix">".sh" for Apache's distribution; "" for Confluent's packages.</param>
/// <param name="LibsDirectory">Where the broker jar is.</param>
public sealed partial record KafkaImageLayout(string Name, string BinDirectory, string ScriptSuffix, string LibsDirectory)
{
    /// <summary>An image this tool built from a distribution (<see cref="BrokerImageBuilder"/>).</summary>
    public static KafkaImageLayout ToolBuilt { get; } = new("kafka-chaos", ZooKeeperBrokerConfig.KafkaHome + "/bin", ".sh", ZooKeeperBrokerConfig.KafkaHome + "/libs");

    /// <summary>apache/kafka (docker/jvm/Dockerfile in apache/kafka): the distribution unpacked at /opt/kafka.</summary>
    public static KafkaImageLayout Apache { get; } = new("apache/kafka", "/opt/kafka/bin", ".sh", "/opt/kafka/libs");

    /// <summary>bitnami/kafka: the distribution at /opt/bitnami/kafka.</summary>
    public static KafkaImageLayout Bitnami { get; } = new("bitnami/kafka", "/opt/bitnami/kafka/bin", ".sh", "/opt/bitnami/kafka/libs");

    /// <summary>confluentinc/cp-kafka: Confluent's packages, scripts in /usr/bin without .sh, jars in /usr/share/java/kafka.</summary>
    public static KafkaImageLayout Confluent { get; } = new("confluentinc/cp-kafka", "/usr/bin", "", "/usr/share/java/kafka");

    /// <summary>Every layout the tool knows, in the order an image is probed for them.</summary>
    public static IReadOnlyList<KafkaImageLayout> Known { get; } = [Apache, Bitnami, Confluent];

    /// <summary>A script of the distribution by its name without suffix: <c>kafka-storage</c>.</summary>
    public string Script(string name) => $"{BinDirectory}/{name}{ScriptSuffix}";

    /// <summary>The layout an image's name says, for plans made without the image (check): null when the name says none.</summary>
    public static KafkaImageLayout? FromName(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var repository = ImageReference.Repository(image);
        return repository.StartsWith(BrokerImageBuilder.Repository, StringComparison.Ordinal) ? ToolBuilt
            : repository.EndsWith("apache/kafka", StringComparison.Ordinal) ? Apache
            : repository.EndsWith("bitnami/kafka", StringComparison.Ordinal) ? Bitnami
            : repository.Contains("confluentinc/cp-", StringComparison.Ordinal) ? Confluent
            : null;
    }

    /// <summary>The layout whose distribution is at <paramref name="home"/> (a running broker's jar says where), apache/kafka's when unknown.</summary>
    public static KafkaImageLayout FromHome(string? home) =>
        Known.FirstOrDefault(l => home is not null && (l.BinDirectory == home + "/bin" || (l == Confluent && home == "/usr"))) ?? Apache;

    /// <summary>The shell command that lists what <see cref="FromProbe"/> reads, run once in a throwaway container of the image.</summary>
    public static string ProbeScript { get; } = string.Join("; ", Known.Select(l =>
            $"for f in {l.LibsDirectory}/kafka_*.jar; do [ -f \"$f\" ] && [ -f {l.Script("kafka-server-start")} ] && echo \"jar $f\"; done"))
        + "; command -v iptables >/dev/null 2>&1 && echo iptables; true";

    /// <summary>
    /// The layout and version <see cref="ProbeScript"/>'s output shows: the first known layout whose start
    /// script and broker jar are both there, the version from the jar's name; null when there is no Kafka.
    /// </summary>
    public static (KafkaImageLayout Layout, KafkaVersion Version, bool HasIptables)? FromProbe(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var iptables = lines.Contains("iptables");
        foreach (var layout in Known)
        {
            foreach (var line in lines.Where(l => l.StartsWith($"jar {layout.LibsDirectory}/", StringComparison.Ordinal)))
            {
                var match = BrokerJar().Match(line[(line.LastIndexOf('/') + 1)..]);
                if (match.Success && AttachedCluster.FromJarVersion(match.Groups["version"].Value) is { } version)
                {
                    return (layout, version, iptables);
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"^kafka_\d+\.\d+-(?<version>\d+\.\d+\.\d+(?:\.\d+)?(?:-ccs)?)\.jar$")]
    private static partial Regex BrokerJar();
}
