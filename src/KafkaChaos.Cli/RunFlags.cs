using System.CommandLine;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Experiments.Settings;
using KafkaChaos.Faults;
using KafkaChaos.Workload;

namespace KafkaChaos.Cli;

/// <summary>
/// The flags of <c>run</c>, held apart from what a run does with them so that <c>check</c> takes exactly the
/// same flags and resolves them the same way: a file and its command-line equivalent can then be compared
/// before either starts a cluster.
/// </summary>
internal sealed class RunFlags
{
    public RunFlags()
    {
        PullPolicy.AcceptOnlyFromAmong("missing", "never");
        Acks.AcceptOnlyFromAmong([.. AcksSetting.Values]);
        Keys.AcceptOnlyFromAmong("none", "sequence", "fixed", "random");
        Commit.AcceptOnlyFromAmong([.. CommitStrategyNames.All]);
        Fault.AcceptOnlyFromAmong([.. FaultKinds.All, "none"]);
        CrashPoint.AcceptOnlyFromAmong([.. CrashPointNames.All]);
    }

    public Option<string?> Image { get; } = new("--image") { Description = "broker image to run (one built by 'image build'); overrides --dist" };

    public Option<string?> Dist { get; } = new("--dist") { Description = "Kafka distribution (folder or .tgz) to build the broker image from; default $KAFKA_DIST" };

    public Option<string?> FallbackDist { get; } = new("--fallback-dist")
    {
        Description = $"the distribution to build from when no image or distribution is named and the engine does not hold {KafkaImages.PinnedModern} ('make run' passes the offline default)",
    };

    public Option<string> PullPolicy { get; } = new("--pull") { Description = "missing: pull a named image the engine lacks (with progress); never: fail instead", DefaultValueFactory = _ => "missing" };

    public Option<string> BaseImage { get; } = new("--base-image") { Description = "JRE base image for built broker images", DefaultValueFactory = _ => BrokerImageBuilder.DefaultBaseImage };

    public Option<string> Runs { get; } = new("--runs-dir") { Description = "where run directories are written", DefaultValueFactory = _ => "runs" };

    public Option<long> Messages { get; } = new("--messages") { Description = "messages to send", DefaultValueFactory = _ => ExperimentSpec.Default.Messages };

    public Option<double> Rate { get; } = new("--rate") { Description = "target send rate, messages per second (0: unthrottled)", DefaultValueFactory = _ => ExperimentSpec.Default.RatePerSecond };

    public Option<int> Producers { get; } = new("--producers") { Description = "producer instances, 1..16, each with its own identity and an equal share of messages and rate", DefaultValueFactory = _ => 1 };

    public Option<string> Acks { get; } = new("--acks") { Description = "producer acks: 0, 1 or all (-1 is all)", HelpName = "acks", DefaultValueFactory = _ => "all" };

    public Option<string[]> ProducerConfig { get; } = new("--producer-config")
    {
        Description = "any producer setting, in librdkafka's names, as key=value (repeatable): retries, retry.backoff.ms, delivery.timeout.ms, max.in.flight, enable.idempotence, linger.ms, batch.size, ...",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> Keys { get; } = new("--keys") { Description = "message keys: none, sequence, fixed or random", HelpName = "keys", DefaultValueFactory = _ => "none" };

    public Option<string> Commit { get; } = new("--commit") { Description = $"consumer commit strategy: {string.Join(", ", CommitStrategyNames.All)}", HelpName = "strategy", DefaultValueFactory = _ => "auto-commit" };

    public Option<int> Batch { get; } = new("--batch") { Description = "records per consumer poll batch, committed together", DefaultValueFactory = _ => 1 };

    public Option<int> Processing { get; } = new("--processing-ms") { Description = "how long processing one record takes, in milliseconds", DefaultValueFactory = _ => 0 };

    public Option<bool> Dedup { get; } = new("--dedup") { Description = "skip records a file-backed processed-id store has seen" };

    public Option<string> Fault { get; } = new("--fault") { Description = $"fault to inject: none, {string.Join(", ", FaultKinds.All)} (docs/faults.md)", HelpName = "kind", DefaultValueFactory = _ => FaultKinds.KillLeader };

    public Option<double> FaultAt { get; } = new("--fault-at") { Description = "seconds into the workload when the fault fires", DefaultValueFactory = _ => FaultSpec.DefaultAt.TotalSeconds };

    public Option<double> FaultDuration { get; } = new("--fault-duration") { Description = "seconds the fault is held once verified, before it is healed (so it is in effect longer; results.json fault_windows has the real phases)", DefaultValueFactory = _ => FaultSpec.DefaultDuration.TotalSeconds };

    public Option<int?> Broker { get; } = new("--broker") { Description = "broker id (1..N) for broker faults; default: random" };

    public Option<int?> Partition { get; } = new("--partition") { Description = "partition whose leader kill-leader, kill-leader-ahead, isolate-leader or truncate-to-high-watermark hit; default: 0" };

    public Option<int> Delay { get; } = new("--delay-ms") { Description = "net-delay: added latency", DefaultValueFactory = _ => 100 };

    public Option<double> Loss { get; } = new("--loss-percent") { Description = "net-loss: dropped packets", DefaultValueFactory = _ => 10 };

    public Option<string> CrashPoint { get; } = new("--crash-point") { Description = $"where restart-consumer kills the consumer: {string.Join(", ", CrashPointNames.All)}", HelpName = "point", DefaultValueFactory = _ => "between-process-and-commit" };

    public Option<string?> Bootstrap { get; } = new("--bootstrap") { Description = "run against a cluster this tool did not start (host:port,...); only restart-consumer and restart-producer faults apply" };

    public Option<string?> KafkaVersion { get; } = new("--kafka-version") { Description = "the brokers' Kafka version, for the client settings and unsupported cells: with --bootstrap (default 3.0.0), or to overrule what --attach reads from the brokers" };

    public Option<string?> Attach { get; } = new("--attach")
    {
        Description = "run on a containerised cluster this tool did not start, with every fault: a compose project, a container label key=value, or a cluster id from 'cluster status'",
        HelpName = "target",
    };

    public Option<string[]> ClientConfig { get; } = new("--client-config") { Description = "with --bootstrap: a client setting, key=value (repeatable): security.protocol, sasl.*, ssl.*; secrets are never written anywhere" };

    public Option<int> Brokers { get; } = new("--brokers") { Description = "brokers in the cluster the run starts", DefaultValueFactory = _ => ExperimentSpec.Default.Brokers };

    public Option<int> Partitions { get; } = new("--partitions") { Description = "partitions of the run's topic", DefaultValueFactory = _ => ExperimentSpec.Default.Partitions };

    public Option<int?> ReplicationFactor { get; } = new("--replication-factor") { Description = "replication factor of the run's topic; default: 3, or the brokers if fewer" };

    public Option<int?> MinInsync { get; } = new("--min-insync-replicas") { Description = "the topic's min.insync.replicas; default: 2, or the replication factor if lower" };

    public Option<string[]> BrokerConfig { get; } = new("--broker-config")
    {
        Description = "any broker setting, in Kafka's names (server.properties), as key=value (repeatable): unclean.leader.election.enable, replica.lag.time.max.ms, ...",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> ClusterMode { get; } = SettingOptions.Create(ClusterSettings.Mode);

    public Option<string?> Controllers { get; } = SettingOptions.Create(ClusterSettings.Controllers);

    public Option<int?> Seed { get; } = new("--seed") { Description = "seed for random fault targets (printed by every run)" };

    public Option<bool> KeepCluster { get; } = new("--keep-cluster")
    {
        Description = "leave the last cell's cluster running, healed, after the run (also after Ctrl-C or a failure) for inspection; 'cluster down <id>' removes it",
    };

    public Argument<string?> Experiment { get; } = new("experiment")
    {
        Description = "an experiment file (YAML, see experiments/README.md); without one, a single experiment from the flags below",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>What an experiment file decides itself; given beside a file, these would be silently ignored.</summary>
    public Option[] ExperimentOptions =>
    [
        Messages, Rate, Producers, Acks, ProducerConfig, Keys, Commit, Batch, Processing, Dedup, Fault, FaultAt, FaultDuration, Broker, Partition, Delay, Loss, CrashPoint, Seed,
        Brokers, Partitions, ReplicationFactor, MinInsync, BrokerConfig, ClusterMode, Controllers,
    ];

    /// <summary>The flags that choose where the run goes and what it writes, beside those of the experiment.</summary>
    public Option[] TargetOptions =>
        [Image, Dist, FallbackDist, PullPolicy, BaseImage, Runs, KeepCluster, Attach, Bootstrap, KafkaVersion, ClientConfig];

    /// <summary>Adds the argument and every flag to <paramref name="command"/>, grouped as <c>--help</c> shows them.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Arguments.Add(Experiment);
        foreach (var option in ExperimentOptions.Concat(TargetOptions))
        {
            command.Options.Add(option);
        }

        OptionGroups.Add(command, "Workload", Messages, Rate, Producers, Keys);
        OptionGroups.Add(command, "Producer", Acks, ProducerConfig);
        OptionGroups.Add(command, "Consumer", Commit, Batch, Processing, Dedup);
        OptionGroups.Add(command, "Fault", Fault, FaultAt, FaultDuration, Broker, Partition, Delay, Loss, CrashPoint, Seed);
        OptionGroups.Add(command, "Cluster and topic", Brokers, Partitions, ReplicationFactor, MinInsync, BrokerConfig, ClusterMode, Controllers, Image, Dist, FallbackDist, PullPolicy, BaseImage,
            KeepCluster, Attach, Bootstrap, KafkaVersion, ClientConfig);
        OptionGroups.Add(command, "Output", Runs);
    }
}
