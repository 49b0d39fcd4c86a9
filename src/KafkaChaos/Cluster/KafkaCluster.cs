using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace KafkaChaos.Cluster;

/// <summary>
/// A Kafka cluster in containers on a network of its own, in ZooKeeper or KRaft mode, reachable from this
/// host at the brokers' addresses on that network (nothing is published on the host's interfaces).
/// </summary>
/// <remarks>
/// Every container and the network carry <see cref="ResourceLabels"/>. Disposal removes them all,
/// whatever state they are in; if this process dies instead, the next start sweeps them.
/// Broker ids are 1..N; broker i listens at the subnet's host .(10+i), ZooKeeper at .2, and KRaft
/// controllers of their own (node ids 101..) at .(100+k).
/// </remarks>
public sealed class KafkaCluster : IAsyncDisposable, IKafkaTarget
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(120);

    private readonly DockerEngine _engine;
    private readonly List<string> _containers = [];
    private readonly List<BrokerNode> _brokers = [];
    private readonly List<BrokerNode> _controllers = [];
    private BrokerImage? _image;
    private SidecarNetwork? _sidecars;
    private readonly Action<string> _log;
    private string? _networkId;
    private string? _zooKeeperContainer;
    private IAdminClient? _admin;
    private ClusterAccess? _access;
    private readonly TimeProvider _time;
    private bool _disposed;

    private KafkaCluster(DockerEngine engine, ClusterSpec spec, string runId, bool kept, Action<string> log, TimeProvider time)
    {
        _engine = engine;
        _time = time;
        Spec = spec;
        RunId = runId;
        Kept = kept;
        _log = log;
    }

    /// <summary>Labelled to outlive this process: <see cref="Release"/> leaves it running and no sweep but <c>down --all</c> removes it.</summary>
    public bool Kept { get; }

    public ClusterSpec Spec { get; }

    public KafkaVersion Version => Spec.Version;
    public string RunId { get; }
    public IReadOnlyList<BrokerNode> Brokers => _brokers;
    public string BootstrapServers => string.Join(',', _brokers.Select(b => $"{b.IpAddress}:{ZooKeeperBrokerConfig.ClientPort}"));
    public string ZooKeeperConnect { get; private set; } = "";

    /// <summary>ZooKeeper's address on the run's network.</summary>
    public string ZooKeeperAddress { get; private set; } = "";

    /// <summary>A KRaft cluster's id, as every node was formatted with it; empty in ZooKeeper mode.</summary>
    public string ClusterId { get; private set; } = "";

    /// <summary>A KRaft cluster's controllers of their own (node ids 101..); empty when combined or in ZooKeeper mode.</summary>
    public IReadOnlyList<BrokerNode> Controllers => _controllers;

    /// <summary>This host's address on the run's network (the gateway): where clients' traffic comes from.</summary>
    public string HostAddress { get; private set; } = "";

    /// <summary>Settings every client of this cluster needs: bootstrap servers plus what the broker version requires.</summary>
    public IReadOnlyDictionary<string, string> ClientSettings
    {
        get
        {
            var settings = new Dictionary<string, string>(ClientCompatibility.SettingsFor(Spec.Version), StringComparer.Ordinal)
            {
                ["bootstrap.servers"] = BootstrapServers,
            };
            return settings;
        }
    }

    /// <summary>Starts ZooKeeper and the brokers and waits until every broker is registered.</summary>
    /// <exception cref="ClusterConfigException">The spec cannot start; nothing was created.</exception>
    /// <exception cref="InfrastructureException">A container failed or a broker never registered; nothing is left running.</exception>
    /// <remarks>
    /// When the start fails and <c>logDirectory</c> is given, the containers' logs are copied there before
    /// they are removed. A failed start is removed even when <paramref name="kept"/>: there is nothing to inspect but the logs.
    /// </remarks>
    public static async Task<KafkaCluster> StartAsync(DockerEngine engine, ClusterSpec spec, string runId, Action<string> log, CancellationToken cancellationToken,
        string? logDirectory = null, bool kept = false, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var cluster = new KafkaCluster(engine, spec.Resolved(), runId, kept, log, time ?? TimeProvider.System);
        try
        {
            await cluster.StartContainersAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            if (logDirectory is not null)
            {
                try
                {
                    using var timeout = cluster._time.Limit(TimeSpan.FromSeconds(30));
                    await cluster.CopyLogsAsync(logDirectory, timeout.Token);
                }
                catch (Exception e) when (e is DockerApiException or IOException or OperationCanceledException or HttpRequestException)
                {
                    // The logs are a courtesy; the start's own failure is what gets reported.
                }
            }

            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartContainersAsync(CancellationToken cancellationToken)
    {
        var swept = await new ResourceSweeper(_engine).SweepAsync(includeLiveOwners: false, cancellationToken);
        if (swept.Containers + swept.Networks > 0)
        {
            _log($"swept {swept.Containers} stale container(s) and {swept.Networks} network(s) left by an earlier run");
        }

        _image = await new BrokerImageInspector(_engine).InspectAsync(Spec.Image, cancellationToken);
        if (Spec.Mode == ClusterMode.ZooKeeper && _image.Layout != KafkaImageLayout.ToolBuilt)
        {
            throw new ClusterConfigException($"cluster.mode: zookeeper: the tool starts ZooKeeper-mode clusters from images it built from a distribution, and {Spec.Image} is an {_image.Layout.Name} image; "
                + "run it in KRaft mode, or build one with 'kafka-chaos image build --dist <distribution>'");
        }

        var networkName = $"kafka-chaos-{RunId}";
        string subnet;
        for (var attempt = 1; ; attempt++)
        {
            subnet = await SubnetAllocator.AllocateAsync(_engine, cancellationToken);
            try
            {
                var network = await _engine.Client.Networks.CreateNetworkAsync(new NetworksCreateParameters
                {
                    Name = networkName,
                    Driver = "bridge",
                    CheckDuplicate = true,
                    Labels = ResourceLabels.For(RunId, "network", Kept),
                    IPAM = new IPAM { Config = [new IPAMConfig { Subnet = subnet, Gateway = SubnetAllocator.Host(subnet, 1) }] },
                }, cancellationToken);
                _networkId = network.ID;
                break;
            }
            catch (DockerApiException e) when (e.ResponseBody.Contains("overlaps", StringComparison.OrdinalIgnoreCase) && attempt < 10)
            {
                // Another run took the same free /24 between our look and our claim: look again.
                _log($"subnet {subnet} was taken meanwhile by another network; picking another");
            }
        }

        _log($"network {networkName} ({subnet})");

        HostAddress = SubnetAllocator.Host(subnet, 1);
        if (Spec.Mode == ClusterMode.KRaft)
        {
            await StartKRaftNodesAsync(networkName, subnet, cancellationToken);
        }
        else
        {
            await StartZooKeeperAndBrokersAsync(networkName, subnet, cancellationToken);
        }

        _log($"{Spec.Brokers} broker(s) registered; bootstrap servers {BootstrapServers}");
    }

    private async Task StartZooKeeperAndBrokersAsync(string networkName, string subnet, CancellationToken cancellationToken)
    {
        var zooKeeperIp = SubnetAllocator.Host(subnet, 2);
        ZooKeeperAddress = zooKeeperIp;
        ZooKeeperConnect = $"{zooKeeperIp}:{ZooKeeperBrokerConfig.ZooKeeperPort}";
        _zooKeeperContainer = await CreateAsync(networkName, "zookeeper", zooKeeperIp, "zookeeper", null,
            NodeProcess.Java("org.apache.zookeeper.server.quorum.QuorumPeerMain", $"{ZooKeeperBrokerConfig.ConfigDirectory}/zookeeper.properties"),
            new Dictionary<string, string> { ["zookeeper.properties"] = ZooKeeperBrokerConfig.RenderZooKeeper() },
            cancellationToken);
        await StartContainerAsync(_zooKeeperContainer, cancellationToken);
        await WaitForZooKeeperAsync(zooKeeperIp, cancellationToken);

        for (var id = 1; id <= Spec.Brokers; id++)
        {
            var ip = SubnetAllocator.Host(subnet, 10 + id);
            var name = $"broker-{id}";
            var properties = ZooKeeperBrokerConfig.RenderBroker(Spec, id, ip, ZooKeeperConnect);
            var container = await CreateAsync(networkName, name, ip, "broker", id,
                NodeProcess.Java("kafka.Kafka", $"{ZooKeeperBrokerConfig.ConfigDirectory}/server.properties"),
                new Dictionary<string, string> { ["server.properties"] = properties }, cancellationToken);
            _brokers.Add(new BrokerNode(id, container, ContainerName(name), ip));
        }

        foreach (var broker in _brokers)
        {
            await StartContainerAsync(broker.ContainerId, cancellationToken);
        }

        _admin = new AdminClientBuilder(ClientSettings).SetLogHandler((_, _) => { }).Build();
        var control = new ContainerBrokerControl(_engine, _brokers, _time, _log);
        var shell = new DistributionShell(control, ZooKeeperBrokerConfig.KafkaHome, ZooKeeperConnect);
        var zooKeeperTopics = new ZooKeeperTopicAdmin(shell);
        _access = new ClusterAccess(
            control,
            new ZooKeeperTopologySource(ZooKeeperAddress, ZooKeeperBrokerConfig.ZooKeeperPort, shell, () => Admin, _time),
            Spec.Version.HasCreateTopicsApi ? new AdminApiTopicAdmin(() => Admin, Spec.Version, zooKeeperTopics) : zooKeeperTopics,
            await NetworkAsync(control, [ZooKeeperAddress], cancellationToken));
        await WaitForBrokersAsync(_brokers.Select(b => b.Id).ToArray(), StartupTimeout, cancellationToken, failOnExitedBroker: true);
    }

    /// <summary>
    /// Every KRaft node of the plan (<see cref="KRaftConfig"/>), formatted at its first start and started
    /// together; ready once every broker has registered and the quorum has a leader.
    /// </summary>
    private async Task StartKRaftNodesAsync(string networkName, string subnet, CancellationToken cancellationToken)
    {
        var image = _image!;
        ClusterId = KafkaUuid.New();
        var plan = KRaftConfig.Plan(Spec, b => SubnetAllocator.Host(subnet, 10 + b), c => SubnetAllocator.Host(subnet, 100 + c), ClusterId, () => KafkaUuid.New());
        foreach (var node in plan)
        {
            var container = await CreateAsync(networkName, node.Name, node.Address, node.IsBroker ? "broker" : "controller", node.NodeId,
                NodeProcess.KRaft(image.Layout, node), new Dictionary<string, string> { ["server.properties"] = node.Render(Spec.Version) }, cancellationToken);
            (node.IsBroker ? _brokers : _controllers).Add(new BrokerNode(node.NodeId, container, ContainerName(node.Name), node.Address));
        }

        foreach (var node in _controllers.Concat(_brokers))
        {
            await StartContainerAsync(node.ContainerId, cancellationToken);
        }

        _admin = new AdminClientBuilder(ClientSettings).SetLogHandler((_, _) => { }).Build();
        var control = new ContainerBrokerControl(_engine, _brokers, _time, _log, _controllers);
        var quorum = new QuorumTopologySource(
            new MetadataTopologySource(_brokers, [.. _brokers.Select(b => $"{b.IpAddress}:{ZooKeeperBrokerConfig.ClientPort}")], ClientSettings, _time),
            control, image.Layout, time: _time);
        _access = new ClusterAccess(control, quorum, new AdminApiTopicAdmin(() => Admin, Spec.Version, older: null),
            await NetworkAsync(control, [.. _controllers.Select(c => c.IpAddress)], cancellationToken));
        await WaitForBrokersAsync(_brokers.Select(b => b.Id).ToArray(), StartupTimeout, cancellationToken, failOnExitedBroker: true);

        var deadline = _time.Deadline(StartupTimeout);
        KRaftQuorumStatus? status;
        while ((status = await quorum.StatusAsync(cancellationToken)) is null)
        {
            if (!_time.Before(deadline))
            {
                throw new InfrastructureException($"the KRaft quorum had no leader {StartupTimeout.TotalSeconds:0} s after the nodes started; their logs are in the run directory");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken);
        }

        _log($"KRaft cluster {ClusterId}: {Spec.Controllers} controllers, quorum leader {status.LeaderId} (epoch {status.LeaderEpoch}, voters [{string.Join(',', status.Voters)}])");
    }

    /// <summary>Where network faults run: in the brokers' own containers when the image has iptables, else in sidecars.</summary>
    private async Task<IClusterNetwork> NetworkAsync(ContainerBrokerControl control, IReadOnlyList<string> coordinators, CancellationToken cancellationToken)
    {
        if (_image!.HasIptables)
        {
            return new BrokerContainerNetwork(control, coordinators);
        }

        var sidecarImage = await SidecarImage.EnsureAsync(_engine, BrokerImageBuilder.DefaultBaseImage, _log, cancellationToken);
        return _sidecars = new SidecarNetwork(_engine, sidecarImage, RunId, coordinators, _time);
    }

    private string ContainerName(string role) => $"kafka-chaos-{RunId}-{role}";

    private async Task<string> CreateAsync(string networkName, string role, string ip, string roleLabel, int? brokerId,
        NodeProcess process, IReadOnlyDictionary<string, string> configFiles, CancellationToken cancellationToken)
    {
        var labels = ResourceLabels.For(RunId, roleLabel, Kept);
        if (brokerId is { } id)
        {
            labels[ResourceLabels.BrokerId] = id.ToString(CultureInfo.InvariantCulture);
        }

        var created = await _engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = ContainerName(role),
            Hostname = role,
            Image = Spec.Image,
            Entrypoint = process.Entrypoint,
            Cmd = process.Command,
            Env = process.Environment,
            User = process.User,
            WorkingDir = _image!.Layout == KafkaImageLayout.ToolBuilt ? ZooKeeperBrokerConfig.KafkaHome : "/",
            Labels = labels,
            HostConfig = new HostConfig
            {
                NetworkMode = networkName,
                // NET_ADMIN lets the nemesis apply iptables and tc inside the container; nothing else is granted.
                CapAdd = ["NET_ADMIN"],
                Init = true,
            },
            NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings>
                {
                    [networkName] = new() { IPAMConfig = new EndpointIPAMConfig { IPv4Address = ip }, Aliases = [role] },
                },
            },
        }, cancellationToken);
        _containers.Add(created.ID);

        var files = new Dictionary<string, string>(configFiles) { ["log4j.properties"] = ZooKeeperBrokerConfig.RenderLog4j() };
        await _engine.Client.Containers.ExtractArchiveToContainerAsync(created.ID,
            new ContainerPathStatParameters { Path = "/" }, ConfigArchive(files), cancellationToken);
        return created.ID;
    }

    private static MemoryStream ConfigArchive(IReadOnlyDictionary<string, string> files)
    {
        var stream = new MemoryStream();
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, ZooKeeperBrokerConfig.ConfigDirectory.TrimStart('/') + "/")
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            });
            foreach (var (name, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"{ZooKeeperBrokerConfig.ConfigDirectory.TrimStart('/')}/{name}")
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                });
            }
        }

        stream.Position = 0;
        return stream;
    }

    private async Task StartContainerAsync(string containerId, CancellationToken cancellationToken) =>
        await _engine.Client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken);

    private async Task WaitForZooKeeperAsync(string ip, CancellationToken cancellationToken)
    {
        var deadline = _time.Deadline(StartupTimeout);
        while (_time.Before(deadline))
        {
            if (await ZooKeeperProbe.AnswersAsync(ip, ZooKeeperBrokerConfig.ZooKeeperPort, cancellationToken))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken);
        }

        throw new InfrastructureException($"ZooKeeper at {ip} did not answer within {StartupTimeout.TotalSeconds:0} s; its log is in the run directory");
    }

    /// <summary>Waits until metadata lists every broker in <paramref name="brokerIds"/>.</summary>
    /// <remarks>
    /// With <c>failOnExitedBroker</c> (the start), a broker container that has exited fails at once. A
    /// heal does not pass it: another fault may be keeping a broker down on purpose, and the heal waits.
    /// </remarks>
    public async Task WaitForBrokersAsync(IReadOnlyCollection<int> brokerIds, TimeSpan timeout, CancellationToken cancellationToken,
        bool failOnExitedBroker = false)
    {
        var deadline = _time.Deadline(timeout);
        IReadOnlyList<int> seen = [];
        while (_time.Before(deadline))
        {
            cancellationToken.ThrowIfCancellationRequested();
            seen = await Task.Run(() => RegisteredBrokers(TimeSpan.FromSeconds(5)), cancellationToken);
            if (brokerIds.All(seen.Contains))
            {
                return;
            }

            // A broker whose process has exited will never register: say so now, with its last words.
            foreach (var broker in _brokers.Where(b => failOnExitedBroker && brokerIds.Contains(b.Id)).Concat(failOnExitedBroker ? _controllers : []))
            {
                var inspected = await _engine.Client.Containers.InspectContainerAsync(broker.ContainerId, cancellationToken);
                if (!inspected.State.Running)
                {
                    var lastLines = (await _engine.LogsAsync(broker.ContainerId, cancellationToken))
                        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3);
                    throw new InfrastructureException(
                        $"{broker.Target} exited with code {inspected.State.ExitCode} before registering: {string.Join(" | ", lastLines)}; its full log is in the run directory");
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken);
        }

        throw new InfrastructureException(
            $"brokers [{string.Join(',', brokerIds)}] did not all register within {timeout.TotalSeconds:0} s (seen: [{string.Join(',', seen)}]); broker logs are in the run directory");
    }

    private IReadOnlyList<int> RegisteredBrokers(TimeSpan timeout)
    {
        try
        {
            return Admin.GetMetadata(timeout).Brokers.Select(b => b.BrokerId).Order().ToArray();
        }
        catch (KafkaException)
        {
            return [];
        }
    }

    private IAdminClient Admin => _admin ?? throw new InvalidOperationException("the cluster is not started or was released");

    /// <summary>The cluster's brokers, topology, topics and network, as faults use them; set once the cluster has started.</summary>
    public ClusterAccess Access => _access ?? throw new InvalidOperationException("the cluster is not started");

    /// <summary>Creates a topic and waits until every partition has a leader and a full ISR.</summary>
    public async Task CreateTopicAsync(string topic, int partitions, int replicationFactor, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        await Access.CreateTopicAndWaitAsync(topic, partitions, replicationFactor, config, StartupTimeout, _time, cancellationToken);
    }

    /// <summary>Writes every container's log to <c>logs/&lt;role&gt;.log</c> under <paramref name="directory"/>.</summary>
    public async Task CopyLogsAsync(string directory, CancellationToken cancellationToken)
    {
        var logs = Path.Combine(directory, "logs");
        Directory.CreateDirectory(logs);
        foreach (var containerId in _containers)
        {
            try
            {
                var inspected = await _engine.Client.Containers.InspectContainerAsync(containerId, cancellationToken);
                var text = await _engine.LogsAsync(containerId, cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(logs, inspected.Name.TrimStart('/') + ".log"), text, cancellationToken);
            }
            catch (DockerApiException)
            {
                // A container that is already gone has no log to copy.
            }
        }
    }

    /// <summary>
    /// Lets go of the cluster without removing it: this process's clients close, the containers keep
    /// running. A later <see cref="DisposeAsync"/> still removes it (the next cell of a matrix, a test).
    /// </summary>
    public void Release()
    {
        _admin?.Dispose();
        _admin = null;
    }

    /// <summary>
    /// A container from the brokers' image on the cluster's network, for running the distribution's own
    /// clients beside the harness; removed with the cluster if not before.
    /// </summary>
    public async Task<ToolContainer> StartToolContainerAsync(CancellationToken cancellationToken)
    {
        var tools = await ToolContainer.StartAsync(_engine, Spec.Image, $"kafka-chaos-{RunId}", RunId, ZooKeeperBrokerConfig.KafkaHome, Kept, cancellationToken);
        _containers.Insert(0, tools.ContainerId);
        return tools;
    }

    /// <summary>Removes every container and the network, whatever state they are in.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _admin?.Dispose();
        if (_sidecars is not null)
        {
            await _sidecars.DisposeAsync();
        }

        (_access?.Topology as IDisposable)?.Dispose();
        foreach (var containerId in _containers)
        {
            try
            {
                await _engine.Client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
            }
            catch (DockerContainerNotFoundException)
            {
                // Already gone.
            }
        }

        if (_networkId is not null)
        {
            try
            {
                await _engine.Client.Networks.DeleteNetworkAsync(_networkId);
            }
            catch (DockerNetworkNotFoundException)
            {
                // Already gone.
            }
        }
    }
}
