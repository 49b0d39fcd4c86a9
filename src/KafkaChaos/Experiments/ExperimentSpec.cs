using KafkaChaos.Faults;
using KafkaChaos.Workload;

namespace KafkaChaos.Experiments;

/// <summary>
/// One experiment: the cluster, topic and workload, and the producer settings under test.
/// <see cref="Default"/> is what <c>make run</c> runs: acks=all, RF=3, min.insync.replicas=2, and the
/// leader of partition 0 SIGKILLed 5 s into the 15 s produce phase and restarted 5 s later.
/// </summary>
public sealed record ExperimentSpec
{
    public string Name { get; init; } = "leader-kill-acks-all";
    public int Brokers { get; init; } = 3;
    public int Partitions { get; init; } = 3;
    public int ReplicationFactor { get; init; } = 3;
    public int MinInsyncReplicas { get; init; } = 2;

    /// <summary>The metadata mode asked for; null: by version (<see cref="Cluster.ClusterSpec.ResolveMode"/>).</summary>
    public Cluster.ClusterMode? Mode { get; init; }

    /// <summary>Where KRaft controllers run, as asked; null: the default for the broker count.</summary>
    public Cluster.ControllerPlacement? Controllers { get; init; }
    /// <summary>Read from <see cref="BrokerConfig"/>, which holds the setting itself, so that the two cannot disagree.</summary>
    public bool UncleanLeaderElection =>
        BrokerConfig.TryGetValue("unclean.leader.election.enable", out var unclean) && unclean == "true";

    /// <summary>Further broker settings, in Kafka's names, for every broker (server.properties).</summary>
    public IReadOnlyDictionary<string, string> BrokerConfig { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    public long Messages { get; init; } = 30_000;
    public double RatePerSecond { get; init; } = 2_000;
    public int MessageSize { get; init; } = 256;

    /// <summary>Producer instances sharing the schedule: each its own identity and sequences.</summary>
    public int Producers { get; init; } = 1;

    /// <summary>
    /// After restart-producer, the next identity first resends the killed one's unknown sends under their
    /// envelopes, as an application that keeps what it sent would (workload.resend_on_restart: unknown).
    /// </summary>
    public bool ResendUnknownOnRestart { get; init; }

    /// <summary>Which key each message gets.</summary>
    public KeyStrategy Keys { get; init; } = KeyStrategy.None;

    /// <summary>The consumer group: instances, commit strategy, processing time, dedup store.</summary>
    public ConsumerSpec Consumer { get; init; } = new();

    /// <summary>The nemesis: faults and when they fire, timed from the start of the workload.</summary>
    public IReadOnlyList<FaultSpec> Faults { get; init; } =
    [
        new FaultSpec { Kind = FaultKinds.KillLeader, Partition = 0, When = new FaultTrigger(TimeSpan.FromSeconds(5)), Duration = TimeSpan.FromSeconds(5) },
    ];

    /// <summary>Seed for random fault times and targets; null draws one, which the run prints and journals.</summary>
    public int? Seed { get; init; }

    /// <summary>How long to wait after the final heal before the final read, so that "lost" means lost, not late.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Producer settings under test, in librdkafka's names.</summary>
    public IReadOnlyDictionary<string, string> Producer { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["acks"] = "all",
        ["retries"] = "2147483647",
        ["retry.backoff.ms"] = "100",
        ["message.timeout.ms"] = "60000",
        ["linger.ms"] = "5",
    };

    /// <summary>How long the topic must stay quiet after the last acknowledgement before the final read gives up.</summary>
    public TimeSpan DrainIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static ExperimentSpec Default { get; } = new();

    /// <summary>
    /// The flat key/value form written to the journal and results.json, in the experiment file's own
    /// names (<see cref="SettingCatalog"/>), so that a cell's config reads as the file that made it.
    /// The librdkafka settings a commit strategy implies are under <c>consumer.client.</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Describe()
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = Name };
        foreach (var setting in Settings.SpecSettings.All.Where(s => s.Described))
        {
            config[setting.Key] = setting.Describe(this);
        }

        config["broker.unclean.leader.election.enable"] = UncleanLeaderElection ? "true" : "false";
        config["faults"] = string.Join("; ", Faults.Select(f => f.Describe()));
        foreach (var (key, value) in ConsumerGroup.CommitSettings(Consumer))
        {
            config["consumer.client." + key] = value;
        }

        foreach (var (key, value) in Producer)
        {
            config["producer." + key] = value;
        }

        foreach (var (key, value) in BrokerConfig)
        {
            config["broker." + key] = value;
        }

        return config;
    }
}
