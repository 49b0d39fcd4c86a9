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
        Fault.AcceptOnlyFromAmong([.. FaultKinds.All, "none"]);
        SpecOptions = SpecSettings.All.ToDictionary(s => (SettingDescriptor)s, SettingOptions.Create);
        FaultOptions = FaultSettings.All.ToDictionary(s => (SettingDescriptor)s, SettingOptions.Create);
    }

    /// <summary>One flag per experiment setting, made from its descriptor.</summary>
    public IReadOnlyDictionary<SettingDescriptor, Option<string?>> SpecOptions { get; }

    /// <summary>One flag per option of the fault <see cref="Fault"/> names, made from its descriptor.</summary>
    public IReadOnlyDictionary<SettingDescriptor, Option<string?>> FaultOptions { get; }

    /// <summary>The version --kafka-version gives, or null when it is not given; read here alone, for run and check alike.</summary>
    /// <exception cref="ExperimentConfigException">Naming the flag and the value.</exception>
    public KafkaChaos.Cluster.KafkaVersion? GivenVersion(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(KafkaVersion) is not { } text ? null
            : KafkaChaos.Cluster.KafkaVersion.TryParse(text, out var version) ? version
            : throw new ExperimentConfigException($"--kafka-version: '{text}' is not a Kafka version such as 4.1.0");
    }

    /// <summary>The flag of <paramref name="setting"/>.</summary>
    public Option<string?> Of(SettingDescriptor setting) => SpecOptions.TryGetValue(setting, out var option) ? option : FaultOptions[setting];

    public Option<string?> Image { get; } = new("--image") { Description = "broker image to run (one built by 'image build'); overrides --dist" };

    public Option<string?> Dist { get; } = new("--dist") { Description = "Kafka distribution (folder or .tgz) to build the broker image from; default $KAFKA_DIST" };

    public Option<string?> FallbackDist { get; } = new("--fallback-dist")
    {
        Description = $"the distribution to build from when no image or distribution is named and the engine does not hold {KafkaImages.PinnedModern} ('make run' passes the offline default)",
    };

    public Option<string> PullPolicy { get; } = new("--pull") { Description = "missing: pull a named image the engine lacks (with progress); never: fail instead", DefaultValueFactory = _ => "missing" };

    public Option<string> BaseImage { get; } = new("--base-image") { Description = "JRE base image for built broker images", DefaultValueFactory = _ => BrokerImageBuilder.DefaultBaseImage };

    public Option<string> Runs { get; } = new("--runs-dir") { Description = "where run directories are written", DefaultValueFactory = _ => "runs" };

    public Option<string> Acks { get; } = new("--acks") { Description = $"producer acks: {AcksSetting.Expected} (in a file: producer.acks)", HelpName = "acks", DefaultValueFactory = _ => "all" };

    public Option<string[]> ProducerConfig { get; } = new("--producer-config")
    {
        Description = "any producer setting, in librdkafka's names, as key=value (repeatable): retries, retry.backoff.ms, delivery.timeout.ms, max.in.flight, enable.idempotence, linger.ms, batch.size, ...",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> Fault { get; } = new("--fault") { Description = $"fault to inject: none, {string.Join(", ", FaultKinds.All)} (docs/faults.md)", HelpName = "kind", DefaultValueFactory = _ => FaultKinds.KillLeader };

    public Option<string?> Bootstrap { get; } = new("--bootstrap") { Description = "run against a cluster this tool did not start (host:port,...); only restart-consumer and restart-producer faults apply" };

    public Option<string?> KafkaVersion { get; } = new("--kafka-version") { Description = "the brokers' Kafka version, for the client settings and unsupported cells: with --bootstrap (default 3.0.0), or to overrule what --attach reads from the brokers" };

    public Option<string?> Attach { get; } = new("--attach")
    {
        Description = "run on a containerised cluster this tool did not start, with every fault: a compose project, a container label key=value, or a cluster id from 'cluster status'",
        HelpName = "target",
    };

    public Option<string[]> ClientConfig { get; } = new("--client-config") { Description = "with --bootstrap: a client setting, key=value (repeatable): security.protocol, sasl.*, ssl.*; secrets are never written anywhere" };

    public Option<string?> BrokerConfigFile { get; } = new("--broker-config-file")
    {
        Description = "a server.properties file whose every key goes to each broker (as --broker-config, with its file and line in errors)",
        HelpName = "server.properties",
    };

    public Option<string?> ProducerConfigFile { get; } = new("--producer-config-file")
    {
        Description = "a producer.properties file whose every key goes to the producers (as --producer-config, with its file and line in errors)",
        HelpName = "producer.properties",
    };

    public Option<string[]> BrokerConfig { get; } = new("--broker-config")
    {
        Description = "any broker setting, in Kafka's names (server.properties), as key=value (repeatable): unclean.leader.election.enable, replica.lag.time.max.ms, ...",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<int?> Seed { get; } = new("--seed") { Description = "seed for random fault times and targets and random message keys (printed by every run)" };

    public Option<string?> Shard { get; } = new("--shard")
    {
        Description = "run only shard i of n of the file's cells (e.g. 2/4), one CI matrix job each; 'report merge' combines the shards' run directories",
        HelpName = "i/n",
    };

    /// <summary>The shard --shard gives, or null when it is not given; read here alone, for run and check alike.</summary>
    /// <exception cref="ExperimentConfigException">Naming the flag and the value.</exception>
    public Experiments.Shard? GivenShard(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(Shard) is not { } text ? null
            : Experiments.Shard.Parse(text, out var problem) ?? throw new ExperimentConfigException($"--shard: {problem}");
    }

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
        [.. SpecOptions.Where(o => !NemesisSettings.All.Contains(o.Key)).Select(o => o.Value), Acks, ProducerConfig, ProducerConfigFile, BrokerConfig, BrokerConfigFile, Fault, .. FaultOptions.Values, Seed,
            .. NemesisSettings.All.Select(Of)];

    /// <summary>The flags that choose where the run goes and what it writes, beside those of the experiment.</summary>
    public Option[] TargetOptions =>
        [Image, Dist, FallbackDist, PullPolicy, BaseImage, Runs, Shard, KeepCluster, Attach, Bootstrap, KafkaVersion, ClientConfig];

    /// <summary>Adds the argument and every flag to <paramref name="command"/>, grouped as <c>--help</c> shows them.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Arguments.Add(Experiment);
        foreach (var option in ExperimentOptions.Concat(TargetOptions))
        {
            command.Options.Add(option);
        }

        OptionGroups.Add(command, "Workload", [.. WorkloadSettings.All.Select(Of)]);
        OptionGroups.Add(command, "Producer", Acks, ProducerConfig, ProducerConfigFile);
        OptionGroups.Add(command, "Consumer", [.. ConsumerSettings.All.Select(Of)]);
        OptionGroups.Add(command, "Fault", [Fault, .. FaultOptions.Values, Seed, .. NemesisSettings.All.Select(Of)]);
        OptionGroups.Add(command, "Cluster and topic", [.. ClusterSettings.All.Select(Of), .. TopicSettings.All.Select(Of), BrokerConfig, BrokerConfigFile, Image, Dist, FallbackDist, PullPolicy, BaseImage,
            KeepCluster, Attach, Bootstrap, KafkaVersion, ClientConfig]);
        OptionGroups.Add(command, "Output", Runs, Shard);
    }
}
