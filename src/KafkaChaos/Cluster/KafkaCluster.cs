using System.Formats.Tar;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace KafkaChaos.Cluster;

/// <summary>
/// A ZooKeeper-mode Kafka cluster in containers on a network of its own, reachable from this host at
/// the brokers' addresses on that network (nothing is published on the host's interfaces).
/// </summary>
/// <remarks>
/// Every container and the network carry <see cref="ResourceLabels"/>. Disposal removes them all,
/// whatever state they are in; if this process dies instead, the next start sweeps them.
/// Broker ids are 1..N; broker i listens at the subnet's host .(10+i), ZooKeeper at .2.
/// </remarks>
public sealed partial class KafkaCluster : IAsyncDisposable, IKafkaTarget
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(120);

    private readonly DockerEngine _engine;
    private readonly List<string> _containers = [];
    private readonly List<BrokerNode> _brokers = [];
    private readonly Action<string> _log;
    private string? _networkId;
    private string? _zooKeeperContainer;
    private IAdminClient? _admin;
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
        var cluster = new KafkaCluster(engine, spec, runId, kept, log, time ?? TimeProvider.System);
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
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
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

        var zooKeeperIp = SubnetAllocator.Host(subnet, 2);
        ZooKeeperAddress = zooKeeperIp;
        HostAddress = SubnetAllocator.Host(subnet, 1);
        ZooKeeperConnect = $"{zooKeeperIp}:{ZooKeeperBrokerConfig.ZooKeeperPort}";
        _zooKeeperContainer = await CreateAsync(networkName, "zookeeper", zooKeeperIp, "zookeeper", null,
            ["org.apache.zookeeper.server.quorum.QuorumPeerMain", $"{ZooKeeperBrokerConfig.ConfigDirectory}/zookeeper.properties"],
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
                ["kafka.Kafka", $"{ZooKeeperBrokerConfig.ConfigDirectory}/server.properties"],
                new Dictionary<string, string> { ["server.properties"] = properties }, cancellationToken);
            _brokers.Add(new BrokerNode(id, container, ContainerName(name), ip));
        }

        foreach (var broker in _brokers)
        {
            await StartContainerAsync(broker.ContainerId, cancellationToken);
        }

        _admin = new AdminClientBuilder(ClientSettings).SetLogHandler((_, _) => { }).Build();
        await WaitForBrokersAsync(_brokers.Select(b => b.Id).ToArray(), StartupTimeout, cancellationToken, failOnExitedBroker: true);
        _log($"{Spec.Brokers} broker(s) registered; bootstrap servers {BootstrapServers}");
    }

    private string ContainerName(string role) => $"kafka-chaos-{RunId}-{role}";

    private async Task<string> CreateAsync(string networkName, string role, string ip, string roleLabel, int? brokerId,
        IReadOnlyList<string> mainAndArguments, IReadOnlyDictionary<string, string> configFiles, CancellationToken cancellationToken)
    {
        var labels = ResourceLabels.For(RunId, roleLabel, Kept);
        if (brokerId is { } id)
        {
            labels[ResourceLabels.BrokerId] = id.ToString(CultureInfo.InvariantCulture);
        }

        var command = new List<string>
        {
            "java", "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true",
            $"-Dlog4j.configuration=file:{ZooKeeperBrokerConfig.ConfigDirectory}/log4j.properties",
            "-cp", "/opt/kafka/libs/*",
        };
        command.AddRange(mainAndArguments);

        var created = await _engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = ContainerName(role),
            Hostname = role,
            Image = Spec.Image,
            Cmd = command,
            WorkingDir = "/opt/kafka",
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
            try
            {
                using var client = new TcpClient();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await client.ConnectAsync(ip, ZooKeeperBrokerConfig.ZooKeeperPort, timeout.Token);
                var stream = client.GetStream();
                await stream.WriteAsync("ruok"u8.ToArray(), timeout.Token);
                var buffer = new byte[4];
                var read = await stream.ReadAtLeastAsync(buffer, 4, throwOnEndOfStream: false, timeout.Token);
                if (read == 4 && Encoding.ASCII.GetString(buffer) == "imok")
                {
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet.
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
            foreach (var broker in _brokers.Where(b => failOnExitedBroker && brokerIds.Contains(b.Id)))
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

    private IAdminClient Admin => _admin ?? throw new InvalidOperationException("the cluster is not started");

    /// <summary>
    /// Creates a topic and waits until every partition has a leader. Brokers without the CreateTopics
    /// API (before 0.10.1) get it through ZooKeeper with the distribution's own TopicCommand.
    /// </summary>
    public async Task CreateTopicAsync(string topic, int partitions, int replicationFactor, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        if (Spec.Version.HasCreateTopicsApi)
        {
            await Admin.CreateTopicsAsync([new TopicSpecification
            {
                Name = topic,
                NumPartitions = partitions,
                ReplicationFactor = (short)replicationFactor,
                Configs = config.ToDictionary(kv => kv.Key, kv => kv.Value),
            }]);
        }
        else
        {
            var arguments = new List<string>
            {
                "--create", "--topic", topic,
                "--partitions", partitions.ToString(CultureInfo.InvariantCulture),
                "--replication-factor", replicationFactor.ToString(CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in config)
            {
                arguments.Add("--config");
                arguments.Add($"{key}={value}");
            }

            await TopicCommandAsync(arguments, "Created topic", $"creating topic {topic}", cancellationToken);
        }

        var deadline = _time.Deadline(StartupTimeout);
        while (_time.Before(deadline))
        {
            var topology = await TopologyAsync(topic, cancellationToken);
            if (topology.Partitions.Count == partitions && topology.Partitions.All(p => p.Leader >= 0 && p.InSyncReplicas.Count == replicationFactor))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken);
        }

        throw new InfrastructureException($"topic {topic} did not get a leader and a full ISR for all {partitions} partitions within {StartupTimeout.TotalSeconds:0} s");
    }

    /// <summary>
    /// Marks a topic for deletion; the controller removes its data in the background. A bench drops each
    /// cell's topic, so that gigabytes it no longer reads neither fill the disk nor have to be re-read by
    /// a broker recovering from a SIGKILL in a later cell.
    /// </summary>
    public async Task DeleteTopicAsync(string topic, CancellationToken cancellationToken)
    {
        if (Spec.Version.HasCreateTopicsApi)
        {
            await Admin.DeleteTopicsAsync([topic]);
            return;
        }

        await TopicCommandAsync(["--delete", "--topic", topic], "marked for deletion", $"deleting topic {topic}", cancellationToken);
    }

    /// <summary>
    /// Raises the topic's partition count to <paramref name="total"/>: CreatePartitions where the brokers
    /// have it (1.0), the distribution's TopicCommand through ZooKeeper before.
    /// </summary>
    public async Task AddPartitionsAsync(string topic, int total, CancellationToken cancellationToken)
    {
        if (Spec.Version >= new KafkaVersion(1, 0, 0))
        {
            await Admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = total }]);
            return;
        }

        await TopicCommandAsync(["--alter", "--topic", topic, "--partitions", total.ToString(CultureInfo.InvariantCulture)], "Adding partitions succeeded",
            $"raising {topic} to {total} partitions", cancellationToken);
    }

    /// <summary>
    /// Sets (or, with a null value, removes) a topic-level override through ZooKeeper with the
    /// distribution's ConfigCommand, from a running broker's container. Brokers read topic overrides
    /// from ZooKeeper when they need them, so no restart is involved.
    /// </summary>
    public async Task SetTopicConfigAsync(string topic, string key, string? value, CancellationToken cancellationToken)
    {
        var shell = await FirstRunningBrokerAsync(cancellationToken)
            ?? throw new InfrastructureException($"no broker container is running to change {topic}'s {key} from");

        string[] change = value is null ? ["--delete-config", key] : ["--add-config", $"{key}={value}"];
        string[] command = ["java", "-Xmx256m", "-cp", "/opt/kafka/libs/*", "kafka.admin.ConfigCommand", "--zookeeper", ZooKeeperConnect,
            "--alter", "--entity-type", "topics", "--entity-name", topic, .. change];
        var (exitCode, output) = await _engine.ExecAsync(shell.ContainerId, command, cancellationToken);
        if (exitCode != 0 || !output.Contains("Updated config", StringComparison.Ordinal))
        {
            throw new InfrastructureException($"changing {topic}'s {key} failed (exit {exitCode}): {output.Trim()}");
        }
    }

    /// <summary>
    /// The distribution's own TopicCommand, run in the first running broker's container against ZooKeeper:
    /// how topics are managed on brokers older than the CreateTopics API (0.10.1). add-partitions runs it
    /// mid-run, when broker 1 may be killed or paused by another fault.
    /// </summary>
    private async Task TopicCommandAsync(IEnumerable<string> arguments, string success, string what, CancellationToken cancellationToken)
    {
        var shell = await FirstRunningBrokerAsync(cancellationToken)
            ?? throw new InfrastructureException($"no broker container is running to run TopicCommand from; {what} failed");
        string[] command = ["java", "-Xmx256m", "-cp", "/opt/kafka/libs/*", "kafka.admin.TopicCommand", "--zookeeper", ZooKeeperConnect, .. arguments];
        var (exitCode, output) = await _engine.ExecAsync(shell.ContainerId, command, cancellationToken);
        if (exitCode != 0 || !output.Contains(success, StringComparison.Ordinal))
        {
            throw new InfrastructureException($"{what} failed (exit {exitCode}): {output.Trim()}");
        }
    }

    /// <summary>
    /// Reads live brokers, the controller and the topic's partitions as the controller sees them (from
    /// ZooKeeper), not from a broker's metadata cache, which a paused or cut-off broker keeps serving.
    /// Empty when ZooKeeper could not be read.
    /// </summary>
    public async Task<ClusterTopology> TopologyAsync(string topic, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await using var zooKeeper = await ZooKeeperReader.ConnectAsync(ZooKeeperAddress, ZooKeeperBrokerConfig.ZooKeeperPort, timeout.Token);
            return await zooKeeper.TopologyAsync(topic, now, timeout.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or System.Text.Json.JsonException or FormatException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ClusterTopology(now, [], []);
        }
    }

    public BrokerNode Broker(int id) => _brokers.FirstOrDefault(b => b.Id == id)
        ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"no broker {id}; brokers are 1..{_brokers.Count}");

    /// <summary>Sends the broker's container a signal.</summary>
    /// <remarks>
    /// Kill, stop and pause check for cancellation before they start, never while the engine carries them
    /// out: a cancelled request still takes effect in the engine, possibly after the final heal had
    /// looked, and would leave a broker down that the heal believes up.
    /// </remarks>
    public async Task KillAsync(BrokerNode broker, string signal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        cancellationToken.ThrowIfCancellationRequested();
        await _engine.Client.Containers.KillContainerAsync(broker.ContainerId, new ContainerKillParameters { Signal = signal }, CancellationToken.None);
    }

    public async Task StartAsync(BrokerNode broker, CancellationToken cancellationToken) =>
        await StartContainerAsync(broker.ContainerId, cancellationToken);

    /// <summary>Graceful stop: SIGTERM (a controlled shutdown), then SIGKILL after <paramref name="grace"/>.</summary>
    /// <remarks>Not cancelled once started, as <see cref="KillAsync"/> says; it ends within <paramref name="grace"/>.</remarks>
    public async Task StopAsync(BrokerNode broker, TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        cancellationToken.ThrowIfCancellationRequested();
        await _engine.Client.Containers.StopContainerAsync(broker.ContainerId,
            new ContainerStopParameters { WaitBeforeKillSeconds = (uint)grace.TotalSeconds }, CancellationToken.None);
    }

    /// <summary>Freezes every process of the broker's container (cgroup freezer): a hung JVM or an endless GC pause.</summary>
    /// <remarks>
    /// The freezer gives up ("unable to freeze") when the container's processes do not all stop in time,
    /// which happens now and then on a loaded machine (moby/moby#48205). The runtime thaws the container
    /// again, so the pause is retried a few times before the engine's refusal is returned.
    /// </remarks>
    /// <returns>Null once the container is paused; otherwise the engine's reason for not freezing it.</returns>
    public async Task<string?> PauseAsync(BrokerNode broker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                await _engine.Client.Containers.PauseContainerAsync(broker.ContainerId, CancellationToken.None); // see KillAsync
                return null;
            }
            catch (DockerApiException e) when (e.ResponseBody.Contains("unable to freeze", StringComparison.Ordinal))
            {
                if ((await ContainerStateAsync(broker, cancellationToken)).Paused)
                {
                    return null;
                }

                if (attempt == attempts)
                {
                    return $"{e.ResponseBody.Trim()} ({attempts} attempts)";
                }

                _log($"the engine could not freeze {broker.Target} (attempt {attempt} of {attempts}); trying again");
                await Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken);
            }
        }
    }

    public async Task UnpauseAsync(BrokerNode broker, CancellationToken cancellationToken) =>
        await _engine.Client.Containers.UnpauseContainerAsync(broker.ContainerId, cancellationToken);

    /// <summary>Whether the broker's container is running and whether it is paused, from the engine.</summary>
    public async Task<(bool Running, bool Paused)> ContainerStateAsync(BrokerNode broker, CancellationToken cancellationToken)
    {
        var inspected = await _engine.Client.Containers.InspectContainerAsync(broker.ContainerId, cancellationToken);
        return (inspected.State.Running, inspected.State.Paused);
    }

    /// <summary>Running and not paused: neither stopped nor frozen by a fault.</summary>
    public async Task<bool> IsRunningAsync(BrokerNode broker, CancellationToken cancellationToken) =>
        await ContainerStateAsync(broker, cancellationToken) is (true, false);

    /// <summary>
    /// Deletes /controller, so that the brokers elect a controller again. A new controller reads every
    /// registration and partition state from ZooKeeper and sends each live broker the leader and ISR of
    /// every replica it holds; brokers that already have that leader epoch ignore it. This is how an
    /// operator repairs a 0.9 controller that missed a broker re-registering (its one-shot ZooKeeper watch
    /// saw the same set of brokers before and after, KAFKA-1120): that broker is registered, but no
    /// controller ever told it what to replicate, so it never rejoins an ISR.
    /// </summary>
    public async Task ReelectControllerAsync(CancellationToken cancellationToken) => await ZooKeeperCommandAsync("delete /controller", cancellationToken);

    /// <summary>
    /// Runs one ZooKeeper shell command (such as <c>delete /controller</c>) from the first running broker's
    /// container with the distribution's own shell. The 0.9 shell runs a command only from its input: given
    /// as arguments, it runs it before it has connected and silently does nothing.
    /// </summary>
    /// <returns>What the shell printed.</returns>
    public async Task<string> ZooKeeperCommandAsync(string command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!ZooKeeperShellCommand().IsMatch(command))
        {
            throw new ArgumentException($"not a plain ZooKeeper shell command: '{command}'", nameof(command));
        }

        var shell = await FirstRunningBrokerAsync(cancellationToken)
            ?? throw new InfrastructureException($"no broker container is running to reach ZooKeeper from; cannot run '{command}'");

        var (exitCode, output) = await _engine.ExecAsync(shell.ContainerId,
            ["sh", "-c", $"echo '{command}' | /opt/kafka/bin/zookeeper-shell.sh {ZooKeeperConnect}"], cancellationToken);
        if (exitCode != 0 || output.Contains("Exception", StringComparison.Ordinal) || output.Contains("KeeperErrorCode", StringComparison.Ordinal))
        {
            throw new InfrastructureException($"ZooKeeper command '{command}' failed (exit {exitCode}): {output.Trim()}");
        }

        return output;
    }

    /// <summary>A verb and a znode path: nothing a shell would read as more than that.</summary>
    [GeneratedRegex("^[a-z]+ /[A-Za-z0-9_./-]*$")]
    private static partial Regex ZooKeeperShellCommand();

    /// <summary>The first broker whose container is running: where the distribution's tools can be run from.</summary>
    private async Task<BrokerNode?> FirstRunningBrokerAsync(CancellationToken cancellationToken)
    {
        foreach (var broker in _brokers)
        {
            if (await IsRunningAsync(broker, cancellationToken))
            {
                return broker;
            }
        }

        return null;
    }

    /// <summary>The last lines a broker wrote to its stdout and stderr.</summary>
    public async Task<IReadOnlyList<string>> LogTailAsync(BrokerNode broker, int lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return (await _engine.LogsAsync(broker.ContainerId, cancellationToken, lines))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>How long a program waits for a paused broker to be unpaused before it is an error.</summary>
    public static readonly TimeSpan PausedWaitLimit = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Runs a program in the broker's container, argument by argument (no shell). Faults overlap: a
    /// network fault may heal, or check its rules, while a pause-broker holds the same container frozen,
    /// and the engine refuses an exec into a paused container. The program then waits for the pause to
    /// be healed, which its own schedule does, instead of failing the other fault's heal (seen in an
    /// hour's soak: a cut-replication's heal refused when a pause-broker began on that broker).
    /// </summary>
    public async Task<(long ExitCode, string Output)> ExecAsync(BrokerNode broker, IList<string> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var waitingSince = _time.GetTimestamp();
        while (true)
        {
            try
            {
                return await _engine.ExecAsync(broker.ContainerId, command, cancellationToken);
            }
            catch (Docker.DotNet.DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict
                && e.ResponseBody.Contains("is paused", StringComparison.Ordinal) && _time.GetElapsedTime(waitingSince) < PausedWaitLimit)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken);
            }
        }
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

    /// <summary>Removes every container and the network, whatever state they are in.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _admin?.Dispose();
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
