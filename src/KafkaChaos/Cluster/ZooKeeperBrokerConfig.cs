using System.Globalization;
using System.Text;

namespace KafkaChaos.Cluster;

/// <summary>
/// Renders server.properties for a broker in ZooKeeper mode, and zoo.cfg for its ZooKeeper.
/// </summary>
/// <remarks>
/// Defaults are chosen for fault experiments, not for production: topics are never auto-created (a
/// typo must not silently make a new topic), the offsets topic is replicated like the data, and
/// settings a broker version does not know are left out rather than written and ignored. Keys in
/// <see cref="ClusterSpec.BrokerConfig"/> and then the broker's own overrides override every default.
/// </remarks>
public static class ZooKeeperBrokerConfig
{
    public const int ClientPort = 9092;
    public const int ZooKeeperPort = 2181;
    public const string ConfigDirectory = "/etc/kafka-chaos";

    /// <summary>Where the broker image built by this tool has the distribution (its libs/ and bin/).</summary>
    public const string KafkaHome = "/opt/kafka";
    public const string DataDirectory = "/var/lib/kafka/data";

    public static string RenderBroker(ClusterSpec spec, int brokerId, string advertisedHost, string zooKeeperConnect)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var settings = ExperimentDefaults(spec);
        settings["broker.id"] = Invariant(brokerId);
        settings["listeners"] = $"PLAINTEXT://0.0.0.0:{ClientPort}";
        settings["advertised.listeners"] = $"PLAINTEXT://{advertisedHost}:{ClientPort}";
        settings["zookeeper.connect"] = zooKeeperConnect;
        settings["zookeeper.connection.timeout.ms"] = "30000";
        settings["zookeeper.session.timeout.ms"] = "6000";
        settings["controlled.shutdown.enable"] = "true";
        foreach (var (key, value) in spec.SettingsFor(brokerId))
        {
            settings[key] = value;
        }

        return Render($"broker {brokerId}, Kafka {spec.Version}, ZooKeeper mode", settings);
    }

    /// <summary>The broker defaults for fault experiments, in both ZooKeeper and KRaft mode.</summary>
    public static SortedDictionary<string, string> ExperimentDefaults(ClusterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["log.dirs"] = DataDirectory,
            ["auto.create.topics.enable"] = "false",
            ["delete.topic.enable"] = "true",
            ["default.replication.factor"] = Invariant(Math.Min(3, spec.Brokers)),
            ["offsets.topic.replication.factor"] = Invariant(Math.Min(3, spec.Brokers)),
            ["offsets.topic.num.partitions"] = "10",
            ["num.partitions"] = "1",
        };
        if (spec.Version >= new KafkaVersion(0, 11, 0))
        {
            settings["group.initial.rebalance.delay.ms"] = "0";
            settings["transaction.state.log.replication.factor"] = Invariant(Math.Min(3, spec.Brokers));
            settings["transaction.state.log.min.isr"] = Invariant(Math.Min(2, spec.Brokers));
        }

        return settings;
    }

    public static string RenderZooKeeper() => Render("ZooKeeper, standalone", new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["dataDir"] = "/var/lib/zookeeper",
        ["clientPort"] = Invariant(ZooKeeperPort),
        ["maxClientCnxns"] = "0",
        ["tickTime"] = "2000",
        ["4lw.commands.whitelist"] = "ruok,srvr,stat",
        ["admin.enableServer"] = "false",
    });

    /// <summary>Log everything at INFO to stdout, so <c>docker logs</c> (and failed runs' log copies) hold it all.</summary>
    public static string RenderLog4j() => """
        log4j.rootLogger=INFO, stdout
        log4j.appender.stdout=org.apache.log4j.ConsoleAppender
        log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
        log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
        log4j.logger.kafka.request.logger=WARN
        log4j.logger.org.apache.zookeeper=WARN
        log4j.logger.org.I0Itec.zkclient=WARN

        """;

    /// <summary>A properties file: a header naming what it is for, then key=value lines in key order.</summary>
    public static string Render(string title, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(title).Append(", written by kafka-chaos\n");
        foreach (var (key, value) in settings)
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }

        return text.ToString();
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
