using System.Globalization;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Docker.DotNet.Models;

namespace KafkaChaos.Cluster;

/// <summary>
/// A containerised cluster this tool did not start, attached to so that broker faults apply to it
/// (<c>run --attach</c>): a compose project, containers with a label, or a cluster of <c>cluster up</c>.
/// Its brokers are found on the local engine and matched to broker ids through the cluster's own metadata;
/// its version comes from the brokers; its network faults run in sidecars.
/// </summary>
/// <remarks>
/// Nothing of the cluster is ever removed: disposal removes the sidecars alone. A killed or paused broker
/// is started or thawed by the heals, as on the tool's own clusters.
/// </remarks>
public sealed partial class AttachedCluster : IKafkaTarget, IAsyncDisposable
{
    private const int ZooKeeperPort = 2181;
    private static readonly int[] NotKafkaPorts = [ZooKeeperPort, 2888, 3888];

    private readonly DockerEngine _engine;
    private readonly SidecarNetwork _network;
    private readonly IAdminClient _admin;
    private readonly IDisposable? _topologyResources;
    private readonly TimeProvider _time;

    private AttachedCluster(DockerEngine engine, string target, KafkaVersion version, string versionSource, string bootstrapServers,
        ClusterAccess access, SidecarNetwork network, IAdminClient admin, IDisposable? topologyResources, string coordination, TimeProvider time)
    {
        _engine = engine;
        _time = time;
        Target = target;
        Version = version;
        VersionSource = versionSource;
        BootstrapServers = bootstrapServers;
        Access = access;
        _network = network;
        _admin = admin;
        _topologyResources = topologyResources;
        Coordination = coordination;
    }

    /// <summary>Broker settings of an experiment that the run's topic can carry instead, on a cluster whose brokers keep their own.</summary>
    public static IReadOnlySet<string> TopicLevelSettings { get; } = new HashSet<string>(StringComparer.Ordinal) { "unclean.leader.election.enable", "min.insync.replicas" };

    /// <summary>What the user named: a compose project, a label, a cluster id.</summary>
    public string Target { get; }

    public KafkaVersion Version { get; }

    /// <summary>Where <see cref="Version"/> came from: the flag, the broker's jar, or the requests it serves.</summary>
    public string VersionSource { get; }

    public string BootstrapServers { get; }

    /// <summary>"ZooKeeper at …" or "KRaft".</summary>
    public string Coordination { get; }

    public ClusterAccess Access { get; }

    public IReadOnlyDictionary<string, string> ClientSettings => new Dictionary<string, string>(ClientCompatibility.SettingsFor(Version), StringComparer.Ordinal)
    {
        ["bootstrap.servers"] = BootstrapServers,
    };

    /// <summary>The target as journals and reports record it.</summary>
    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cluster.attach"] = Target,
        ["cluster.bootstrap"] = BootstrapServers,
        ["cluster.kafka.version"] = Version.ToString(),
        ["cluster.kafka.version_source"] = VersionSource,
        ["cluster.coordination"] = Coordination,
    };

    /// <summary>
    /// Finds the cluster named by <paramref name="target"/> on the engine and reads what faults need of it.
    /// <paramref name="versionOverride"/> is the user's <c>--kafka-version</c>, which wins over what the brokers say.
    /// </summary>
    /// <exception cref="ClusterConfigException">Nothing matches, or no Kafka broker answers among what does.</exception>
    public static async Task<AttachedCluster> AttachAsync(DockerEngine engine, string target, KafkaVersion? versionOverride, string runId, string sidecarBaseImage,
        Action<string> log, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(log);
        var containers = await FindAsync(engine, target, cancellationToken);
        var zooKeepers = new List<ContainerFacts>();
        foreach (var container in containers)
        {
            if (container.Addresses.Count > 0 && await ZooKeeperProbe.AnswersAsync(container.Addresses[0], ZooKeeperPort, cancellationToken))
            {
                zooKeepers.Add(container);
            }
        }

        var candidates = containers.Except(zooKeepers).ToList();
        var (version, versionSource, kafkaHome) = await VersionAsync(engine, candidates, versionOverride, cancellationToken);
        var endpoints = candidates.SelectMany(c => c.KafkaEndpoints).Distinct().ToArray();
        if (endpoints.Length == 0)
        {
            throw new ClusterConfigException($"--attach {target}: none of its containers ({string.Join(", ", containers.Select(c => c.Name))}) has an address or port a Kafka broker could listen on");
        }

        var settings = new Dictionary<string, string>(ClientCompatibility.SettingsFor(version), StringComparer.Ordinal) { ["bootstrap.servers"] = string.Join(',', endpoints) };
        var admin = new AdminClientBuilder(settings).SetLogHandler((_, _) => { }).Build();
        try
        {
            var (brokers, advertised) = await RegisteredBrokersAsync(admin, target, candidates, endpoints, version, versionSource, log, time, cancellationToken);
            var bootstrap = string.Join(',', advertised);
            var control = new ContainerBrokerControl(engine, brokers, time, log);
            var brokerContainers = brokers.Select(b => b.ContainerId).ToHashSet();
            var others = candidates.Where(c => !brokerContainers.Contains(c.Id)).ToList();
            var coordinators = zooKeepers.Count > 0 ? zooKeepers.Select(z => z.Addresses[0]).ToArray() : [.. others.SelectMany(c => c.Addresses.Take(1))];
            var sidecarImage = await SidecarImage.EnsureAsync(engine, sidecarBaseImage, log, cancellationToken);
            var network = new SidecarNetwork(engine, sidecarImage, runId, coordinators, time);
            var clientSettings = new Dictionary<string, string>(settings, StringComparer.Ordinal) { ["bootstrap.servers"] = bootstrap };

            ITopologySource topology;
            ITopicAdmin topics;
            IDisposable? resources = null;
            string coordination;
            if (zooKeepers.Count > 0)
            {
                var zooKeeperConnect = string.Join(',', zooKeepers.Select(z => $"{z.Addresses[0]}:{ZooKeeperPort}"));
                var shell = new DistributionShell(control, kafkaHome ?? ZooKeeperBrokerConfig.KafkaHome, zooKeeperConnect);
                topology = new ZooKeeperTopologySource(zooKeepers[0].Addresses[0], ZooKeeperPort, shell, () => admin, time);
                var zooKeeperTopics = new ZooKeeperTopicAdmin(shell);
                topics = version.HasCreateTopicsApi ? new AdminApiTopicAdmin(() => admin, version, zooKeeperTopics) : zooKeeperTopics;
                coordination = $"ZooKeeper at {zooKeeperConnect}";
            }
            else
            {
                // The active controller from the quorum, as on the tool's own KRaft clusters: the quorum tool run in a
                // broker, reaching the controllers directly where it can (3.7, KIP-919), else through the broker.
                var advertisedOf = brokers.Zip(advertised).ToDictionary(p => p.First.Id, p => p.Second);
                var quorum = new QuorumTopologySource(new MetadataTopologySource(brokers, advertised, clientSettings, time), control, KafkaImageLayout.FromHome(kafkaHome),
                    broker => (version >= new KafkaVersion(3, 7, 0) ? [["--bootstrap-controller", $"{broker.IpAddress}:{KRaftConfig.ControllerPort}"]] : Array.Empty<string[]>())
                        .Append(["--bootstrap-server", $"{broker.IpAddress}:{ZooKeeperBrokerConfig.ClientPort}"])
                        .Append(["--bootstrap-server", advertisedOf[broker.Id]]), time);
                topology = quorum;
                resources = quorum;
                topics = new AdminApiTopicAdmin(() => admin, version, null);
                coordination = "KRaft";
            }

            log($"attached to {target}: brokers {string.Join(", ", brokers.Select(b => $"{b.Id}={b.ContainerName}"))}; {coordination}; Kafka {version} ({versionSource})");
            return new AttachedCluster(engine, target, version, versionSource, bootstrap, new ClusterAccess(control, topology, topics, network), network, admin, resources, coordination, time);
        }
        catch
        {
            admin.Dispose();
            throw;
        }
    }

    /// <summary>Creates the run's topic and waits until every partition has a leader and a full ISR.</summary>
    public async Task CreateTopicAsync(string topic, int partitions, int replicationFactor, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        await Access.CreateTopicAndWaitAsync(topic, partitions, replicationFactor, config, TimeSpan.FromSeconds(120), _time, cancellationToken);
    }

    /// <summary>Writes the brokers' logs to <c>logs/&lt;container&gt;.log</c> under <paramref name="directory"/>.</summary>
    public async Task CopyLogsAsync(string directory, CancellationToken cancellationToken)
    {
        var logs = Path.Combine(directory, "logs");
        Directory.CreateDirectory(logs);
        foreach (var broker in Access.Brokers.Brokers)
        {
            var text = await _engine.LogsAsync(broker.ContainerId, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(logs, broker.ContainerName + ".log"), text, cancellationToken);
        }
    }

    /// <summary>Removes the sidecars and closes the clients; the cluster itself is the user's and stays.</summary>
    public async ValueTask DisposeAsync()
    {
        await _network.DisposeAsync();
        _topologyResources?.Dispose();
        _admin.Dispose();
    }

    /// <summary>How long attaching waits for a container that answers as a broker to appear in the cluster's metadata.</summary>
    private static readonly TimeSpan RegistrationWait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The brokers in the cluster's metadata, each tied to its container. A container that answers as a broker
    /// on its own listener but is not in the metadata yet (just started, or re-registering after a lost
    /// session) is waited for, up to <see cref="RegistrationWait"/>; if it still is not there, attaching goes on
    /// without it and says so.
    /// </summary>
    private static async Task<(List<BrokerNode> Brokers, List<string> Advertised)> RegisteredBrokersAsync(IAdminClient admin, string target, IReadOnlyList<ContainerFacts> candidates,
        string[] endpoints, KafkaVersion version, string versionSource, Action<string> log, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var metadata = await Task.Run(() => MetadataOrNull(admin), cancellationToken)
                ?? throw new ClusterConfigException($"--attach {target}: no Kafka broker answered at {string.Join(", ", endpoints)} (Kafka {version} {versionSource})");
            var brokers = new List<BrokerNode>();
            var advertised = new List<string>();
            foreach (var broker in metadata.Brokers.OrderBy(b => b.BrokerId))
            {
                var container = candidates.FirstOrDefault(c => c.Serves(broker.Host, broker.Port))
                    ?? throw new ClusterConfigException($"--attach {target}: broker {broker.BrokerId} advertises {broker.Host}:{broker.Port}, which is none of the containers "
                        + $"{string.Join(", ", candidates.Select(c => c.Name))}; attach to the project or label that holds every broker");
                brokers.Add(new BrokerNode(broker.BrokerId, container.Id, container.Name, container.Addresses[0]));
                advertised.Add($"{broker.Host}:{broker.Port}");
            }

            var unregistered = new List<string>();
            foreach (var container in candidates.Where(c => brokers.All(b => b.ContainerId != c.Id)))
            {
                foreach (var (host, port) in container.KafkaEndpoints.Select(Split))
                {
                    if (await BrokerListenerProbe.IsBrokerAsync(host, port, version, cancellationToken))
                    {
                        unregistered.Add(container.Name);
                        break;
                    }
                }
            }

            if (unregistered.Count == 0)
            {
                return (brokers, advertised);
            }

            if (time.GetElapsedTime(started) >= RegistrationWait)
            {
                log($"attach {target}: {string.Join(", ", unregistered)} answer as brokers but did not register within {RegistrationWait.TotalSeconds:0} s; attaching to the {brokers.Count} that did");
                return (brokers, advertised);
            }

            log($"attach {target}: waiting for {string.Join(", ", unregistered)} to register");
            await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken);
        }
    }

    private static Metadata? MetadataOrNull(IAdminClient admin)
    {
        try
        {
            return admin.GetMetadata(TimeSpan.FromSeconds(15)) is { Brokers.Count: > 0 } metadata ? metadata : null;
        }
        catch (KafkaException)
        {
            return null;
        }
    }

    /// <summary>The running containers <paramref name="target"/> names: a cluster id of this tool, a label, or a compose project.</summary>
    private static async Task<IReadOnlyList<ContainerFacts>> FindAsync(DockerEngine engine, string target, CancellationToken cancellationToken)
    {
        string[] selectors = target.Contains('=', StringComparison.Ordinal)
            ? [target]
            : [$"{ResourceLabels.Run}={target}", $"com.docker.compose.project={target}"];
        foreach (var selector in selectors)
        {
            var listed = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [selector] = true } },
            }, cancellationToken);
            if (listed.Count == 0)
            {
                continue;
            }

            var facts = new List<ContainerFacts>();
            foreach (var container in listed.Where(c => !(c.Labels?.TryGetValue(ResourceLabels.Role, out var role) == true && role == "sidecar")))
            {
                facts.Add(ContainerFacts.From(await engine.Client.Containers.InspectContainerAsync(container.ID, cancellationToken)));
            }

            if (facts.Count > 0)
            {
                return facts;
            }
        }

        throw new ClusterConfigException($"--attach {target}: no running container belongs to a compose project, a label (key=value) or a cluster id of that name; "
            + "'docker compose ls' and 'kafka-chaos cluster status' list them");
    }

    /// <summary>The user's version, else the one in a broker's Kafka jar, else the oldest release serving the requests a broker serves.</summary>
    private static async Task<(KafkaVersion Version, string Source, string? KafkaHome)> VersionAsync(DockerEngine engine, IReadOnlyList<ContainerFacts> candidates,
        KafkaVersion? versionOverride, CancellationToken cancellationToken)
    {
        string? home = null;
        KafkaVersion? fromJar = null;
        foreach (var container in candidates)
        {
            var (exit, output) = await engine.ExecAsync(container.Id,
                ["sh", "-c", "ls -d /opt/kafka/libs/kafka_*.jar /opt/bitnami/kafka/libs/kafka_*.jar /usr/share/java/kafka/kafka_*.jar 2>/dev/null"], cancellationToken);
            if (exit is 0 or 2 && KafkaJar().Matches(output).FirstOrDefault() is { } jar)
            {
                home = jar.Groups["home"].Value.EndsWith("/share/java/kafka", StringComparison.Ordinal) ? "/usr" : jar.Groups["home"].Value;
                fromJar = FromJarVersion(jar.Groups["version"].Value);
                break;
            }
        }

        if (versionOverride is not null)
        {
            return (versionOverride, "from --kafka-version", home);
        }

        if (fromJar is not null)
        {
            return (fromJar, "from the broker's Kafka jar", home);
        }

        foreach (var (host, port) in candidates.SelectMany(c => c.KafkaEndpoints).Select(Split))
        {
            if (await ApiVersionsProbe.AskAsync(host, port, cancellationToken) is { } apis)
            {
                return (ApiVersionsProbe.OldestReleaseServing(apis), $"at least this release, from the requests the broker at {host}:{port} serves", home);
            }
        }

        return (new KafkaVersion(0, 9, 0, 1), "assumed: no broker answered an ApiVersions request, so they are older than 0.10; --kafka-version says otherwise", home);
    }

    private static (string Host, int Port) Split(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return (endpoint[..colon], int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>A jar's version: Apache's own (3.9.0), or Confluent Platform's (7.6.1-ccs), whose 7.x ships Kafka 3.x and 8.x Kafka 4.x.</summary>
    public static KafkaVersion? FromJarVersion(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.EndsWith("-ccs", StringComparison.Ordinal) && KafkaVersion.TryParse(text[..^4], out var platform))
        {
            return platform.Major switch
            {
                7 => new KafkaVersion(3, platform.Minor, 0),
                8 => new KafkaVersion(4, platform.Minor, 0),
                _ => null,
            };
        }

        return KafkaVersion.TryParse(text, out var version) ? version : null;
    }

    [GeneratedRegex(@"^(?<home>/\S*?)/(?:libs/)?kafka_[\d.]+-(?<version>\d+\.\d+\.\d+(?:\.\d+)?(?:-ccs)?)\.jar$", RegexOptions.Multiline)]
    private static partial Regex KafkaJar();

    /// <summary>What matching a broker's advertised address to a container needs to know of it.</summary>
    private sealed record ContainerFacts(string Id, string Name, IReadOnlyList<string> Addresses, IReadOnlySet<string> Names,
        IReadOnlyList<int> Ports, IReadOnlyDictionary<int, int> Published)
    {
        /// <summary>Where a broker in it might listen: each address with each exposed port (9092 at least), and each port published on this host.</summary>
        public IEnumerable<string> KafkaEndpoints =>
            Addresses.SelectMany(a => Ports.Append(9092).Distinct().Where(p => !NotKafkaPorts.Contains(p)).Select(p => $"{a}:{p}"))
                .Concat(Published.Where(p => !NotKafkaPorts.Contains(p.Key)).Select(p => $"127.0.0.1:{p.Value}"));

        /// <summary>Whether a broker advertising <paramref name="host"/>:<paramref name="port"/> is this container.</summary>
        public bool Serves(string host, int port) =>
            Addresses.Contains(host) || Names.Contains(host)
            || (host is "localhost" or "127.0.0.1" or "::1" && Published.Values.Contains(port));

        public static ContainerFacts From(ContainerInspectResponse inspected)
        {
            var networks = inspected.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>();
            var addresses = networks.Values.Select(n => n.IPAddress).Where(ip => !string.IsNullOrEmpty(ip)).ToArray();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { inspected.Name.TrimStart('/'), inspected.Config?.Hostname ?? "" };
            foreach (var alias in networks.Values.SelectMany(n => n.Aliases ?? []))
            {
                names.Add(alias);
            }

            if (inspected.Config?.Labels?.TryGetValue("com.docker.compose.service", out var service) == true)
            {
                names.Add(service);
            }

            static int PortOf(string spec) => int.TryParse(spec.Split('/')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
            var exposed = (inspected.Config?.ExposedPorts?.Keys ?? []).Where(k => k.EndsWith("/tcp", StringComparison.Ordinal)).Select(PortOf).Where(p => p > 0).ToArray();
            var published = new Dictionary<int, int>();
            foreach (var (spec, bindings) in inspected.NetworkSettings?.Ports ?? new Dictionary<string, IList<PortBinding>>())
            {
                if (bindings?.FirstOrDefault(b => int.TryParse(b.HostPort, CultureInfo.InvariantCulture, out _)) is { } binding)
                {
                    published[PortOf(spec)] = int.Parse(binding.HostPort, CultureInfo.InvariantCulture);
                }
            }

            return new ContainerFacts(inspected.ID, inspected.Name.TrimStart('/'), addresses, names, exposed, published);
        }
    }
}
