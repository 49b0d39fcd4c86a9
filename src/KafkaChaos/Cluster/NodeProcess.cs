namespace KafkaChaos.Cluster;

/// <summary>
/// How a node's container runs its process: the tool's own command in every image, never the image's
/// entrypoint or its environment-variable conventions, so that every image behaves the same.
/// </summary>
/// <param name="Entrypoint">Replaces the image's entrypoint.</param>
/// <param name="Command">Its arguments.</param>
/// <param name="Environment">KEY=value pairs for the distribution's scripts.</param>
/// <param name="User">Who runs it: root, so that the log directory is writable and iptables works in any image.</param>
public sealed record NodeProcess(IList<string> Entrypoint, IList<string> Command, IList<string> Environment, string User)
{
    private const string JavaOptions = "-XX:+UseG1GC -Djava.awt.headless=true";

    /// <summary>
    /// A ZooKeeper-mode process on an image this tool built: java directly, since 0.9's scripts pass GC flags
    /// that Java 9 and later reject.
    /// </summary>
    public static NodeProcess Java(string mainClass, string configFile) => new(
        ["java"],
        [
            "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true",
            $"-Dlog4j.configuration=file:{ZooKeeperBrokerConfig.ConfigDirectory}/log4j.properties",
            "-cp", $"{ZooKeeperBrokerConfig.KafkaHome}/libs/*", mainClass, configFile,
        ],
        [],
        "0");

    /// <summary>
    /// A KRaft node through the distribution's own scripts: its log directory formatted the first time the
    /// container starts (a restarted node finds meta.properties there and keeps its log), then the server.
    /// </summary>
    public static NodeProcess KRaft(KafkaImageLayout layout, KRaftNode node)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(node);
        var format = FormatCommand(layout, node);
        var script = $"set -e; if [ ! -f {ZooKeeperBrokerConfig.DataDirectory}/meta.properties ]; then {format}; fi; "
            + $"exec {Quote(layout.Script("kafka-server-start"))} {Quote(KRaftConfig.ConfigPath)}";
        return new NodeProcess(["/bin/sh", "-c"], [script],
            ["KAFKA_HEAP_OPTS=-Xms128m -Xmx512m", $"KAFKA_JVM_PERFORMANCE_OPTS={JavaOptions}"], "0");
    }

    /// <summary>The format command as a person would type it, for plans and logs.</summary>
    public static string FormatCommand(KafkaImageLayout layout, KRaftNode node)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(node);
        return string.Join(' ', node.FormatArguments.Prepend(layout.Script("kafka-storage")).Select(Quote));
    }

    /// <summary>One shell word: as is when it needs no quoting, else in single quotes.</summary>
    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '@' or ',' or '=')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
