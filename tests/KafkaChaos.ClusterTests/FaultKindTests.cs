using KafkaChaos.Cluster;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// Every broker fault against one real 3-broker cluster, one after another: the effect must be observed,
/// the heal must bring every broker back into every ISR, and afterwards no iptables rule, netem qdisc,
/// paused or stopped broker may remain.
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public class FaultKindTests
{
    private const string Topic = "faults";
    private static readonly TimeSpan EffectTimeout = TimeSpan.FromSeconds(45);
    private KafkaCluster _cluster = null!;
    private string _journalDirectory = "";

    private static IEnumerable<FaultSpec> BrokerFaults() =>
    [
        new() { Kind = FaultKinds.KillLeader, Partition = 0 },
        new() { Kind = FaultKinds.KillBroker, Broker = 2 },
        new() { Kind = FaultKinds.KillController },
        new() { Kind = FaultKinds.RestartBroker, Broker = 3 },
        new() { Kind = FaultKinds.PauseBroker, Broker = 1 },
        new() { Kind = FaultKinds.IsolateLeader, Partition = 1 },
        new() { Kind = FaultKinds.IsolateBroker, Broker = 2 },
        new() { Kind = FaultKinds.CutReplication, Broker = 3 },
        new() { Kind = FaultKinds.PartitionHalves },
        new() { Kind = FaultKinds.NetLoss, LossPercent = 30, Broker = 1 },
    ];

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        // Faults one after another leave leadership off its preferred replicas, and the controller's
        // periodic preferred-leader election (every 300 s) then fires at a random point. Once it fired
        // while cut-replication had cut off the controller itself: it elected a leader it could not tell,
        // so no broker shrank that partition's ISR and the fault was rightly reported not applied.
        // Each fault here must meet a cluster whose leaders move only because of the fault.
        var settings = new Dictionary<string, string> { ["min.insync.replicas"] = "2", ["auto.leader.rebalance.enable"] = "false" };
        _cluster = await KafkaCluster.StartAsync(ClusterEnvironment.Engine,
            new ClusterSpec(ClusterEnvironment.Image, ClusterEnvironment.Version, 3, settings),
            $"faults-{Environment.ProcessId}", TestContext.Progress.WriteLine, CancellationToken.None);
        await _cluster.CreateTopicAsync(Topic, 3, 3, new Dictionary<string, string>(), CancellationToken.None);
    }

    private ClusterWitness Witness => new(ClusterEnvironment.Engine.Client, _cluster.ClientSettings, _cluster.ZooKeeperConnect);

    [OneTimeTearDown]
    public async Task RemoveCluster() => await _cluster.DisposeAsync();

    [SetUp]
    public void CreateJournalDirectory() => _journalDirectory = Directory.CreateTempSubdirectory("kafka-chaos-faults-").FullName;

    [TearDown]
    public void RemoveJournalDirectory() => Directory.Delete(_journalDirectory, recursive: true);

    [TestCaseSource(nameof(BrokerFaults))]
    public async Task Fault_IsObservedAndFullyHealed(FaultSpec spec)
    {
        var witness = Witness;
        var startedBefore = new Dictionary<int, string>();
        foreach (var broker in _cluster.Brokers)
        {
            startedBefore[broker.Id] = (await witness.ContainerAsync(broker.ContainerId)).StartedAt;
        }

        var (target, whileApplied) = await IndependentLookAsync(spec, witness);
        var looked = false;

        var (verified, events) = await ApplyAndHealAsync(spec, async () =>
        {
            await whileApplied();
            looked = true;
        });

        Assert.That(verified, Is.True, $"{spec.Kind} took effect");
        Assert.That(looked, Is.True, "the test's own look ran while the fault held");
        Assert.That(events.Select(e => e.Phase), Is.EqualTo(new[] { FaultPhase.Start, FaultPhase.Verified, FaultPhase.End }));
        if (target is { } id)
        {
            Assert.That(events[0].Target, Does.StartWith($"broker-{id} "), "the fault hit the broker the test itself found in that role");
        }

        if (spec.Kind == FaultKinds.RestartBroker)
        {
            var record = await witness.ContainerAsync(_cluster.Access.Brokers.Broker(spec.Broker!.Value).ContainerId);
            Assert.That(record.StartedAt, Is.Not.EqualTo(startedBefore[spec.Broker.Value]), "the engine started the container again at the heal");
        }

        await AssertFullyHealedAsync(events);
    }

    /// <summary>
    /// What the test itself expects to see while <paramref name="spec"/> holds, from the engine, iptables or its own
    /// clients, and the broker it expects the fault to hit where the fault picks one by role (read beforehand by the test).
    /// </summary>
    private async Task<(int? Target, Func<Task> WhileApplied)> IndependentLookAsync(FaultSpec spec, ClusterWitness witness)
    {
        var zooKeeper = _cluster.ZooKeeperConnect[.._cluster.ZooKeeperConnect.LastIndexOf(':')];
        BrokerNode Node(int id) => _cluster.Access.Brokers.Broker(id);
        IEnumerable<string> OthersThan(int id) => _cluster.Brokers.Where(b => b.Id != id).Select(b => b.IpAddress);

        async Task Stopped(int id, bool graceful)
        {
            var record = await witness.ContainerAsync(Node(id).ContainerId);
            Assert.That(record.Running, Is.False, $"the engine shows broker {id}'s container stopped");
            if (graceful)
            {
                Assert.That(record.ExitCode, Is.Not.EqualTo(137), $"broker {id} shut down on SIGTERM, not killed");
            }
            else
            {
                Assert.That(record.ExitCode, Is.EqualTo(137), $"broker {id} was killed (SIGKILL)");
            }

            var (gone, seen) = await witness.MetadataUntilAsync(Topic, m => m.Brokers.Count > 0 && m.Brokers.All(b => b.BrokerId != id), EffectTimeout);
            Assert.That(gone, Is.True, $"the test's client no longer sees broker {id}: {seen}");
        }

        async Task DropsPeers(int id, IEnumerable<string> peers, IEnumerable<string> spared)
        {
            var rules = await witness.DropRulesAsync(Node(id).ContainerId);
            foreach (var peer in peers)
            {
                Assert.That(rules.Where(r => r.Contains($" {peer}/32 ", StringComparison.Ordinal)).ToList(), Has.Count.EqualTo(2),
                    $"iptables in broker {id}'s namespace drops traffic from and to {peer}: {string.Join(" | ", rules)}");
            }

            foreach (var peer in spared)
            {
                Assert.That(rules, Has.None.Contains($" {peer}/32 "), $"broker {id} still reaches {peer}");
            }

            Assert.That(await Connects(Node(id)), Is.True, $"the test's own connection still reaches broker {id}: only its peers are cut");
        }

        switch (spec.Kind)
        {
            case FaultKinds.KillLeader:
                var leader = await witness.LeaderOfAsync(Topic, spec.Partition!.Value);
                return (leader, async () =>
                {
                    await Stopped(leader, graceful: false);
                    var (moved, seen) = await witness.MetadataUntilAsync(Topic, m => ClusterWitness.LeaderIn(m, spec.Partition.Value) is var l && l > 0 && l != leader, EffectTimeout);
                    Assert.That(moved, Is.True, $"the test's client sees another leader of partition {spec.Partition}: {seen}");
                });
            case FaultKinds.KillBroker:
                return (spec.Broker, () => Stopped(spec.Broker!.Value, graceful: false));
            case FaultKinds.RestartBroker:
                return (spec.Broker, () => Stopped(spec.Broker!.Value, graceful: true));
            case FaultKinds.KillController:
                var controller = await witness.ControllerAsync() ?? throw new InvalidOperationException("ZooKeeper's dump names no controller");
                return (controller, async () =>
                {
                    await Stopped(controller, graceful: false);
                    var (moved, now) = await witness.ControllerUntilAsync(c => c is not null && c != controller, EffectTimeout);
                    Assert.That(moved, Is.True, $"ZooKeeper's own dump names a new controller, not {controller}: {now}");
                });
            case FaultKinds.PauseBroker:
                return (spec.Broker, async () => Assert.That((await witness.ContainerAsync(Node(spec.Broker!.Value).ContainerId)).Paused, Is.True, "the engine shows the container frozen"));
            case FaultKinds.IsolateLeader:
                var isolated = await witness.LeaderOfAsync(Topic, spec.Partition!.Value);
                return (isolated, () => DropsPeers(isolated, OthersThan(isolated).Append(zooKeeper), []));
            case FaultKinds.CutReplication:
                return (spec.Broker, () => DropsPeers(spec.Broker!.Value, OthersThan(spec.Broker.Value), [zooKeeper]));
            case FaultKinds.IsolateBroker:
                return (spec.Broker, async () =>
                {
                    var rules = await witness.DropRulesAsync(Node(spec.Broker!.Value).ContainerId);
                    Assert.That(rules.Count(r => r.Contains("! -i lo", StringComparison.Ordinal) || r.Contains("! -o lo", StringComparison.Ordinal)), Is.EqualTo(2),
                        $"iptables drops everything but loopback, both ways: {string.Join(" | ", rules)}");
                    Assert.That(await Connects(Node(spec.Broker.Value)), Is.False, "the test's own connection to the broker goes unanswered");
                });
            case FaultKinds.NetLoss:
                return (spec.Broker, async () =>
                {
                    var rules = await witness.DropRulesAsync(Node(spec.Broker!.Value).ContainerId);
                    // iptables keeps the probability as a 31-bit fraction, and lists 0.3 as 0.29999999981.
                    var probabilities = rules.Select(r => System.Text.RegularExpressions.Regex.Match(r, @"--mode random --probability ([0-9.]+)"))
                        .Where(m => m.Success).Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
                    Assert.That(probabilities, Has.Count.EqualTo(1).And.All.EqualTo(0.3).Within(1e-6), $"iptables drops 30 % at random: {string.Join(" | ", rules)}");
                });
            case FaultKinds.PartitionHalves:
                return (null, async () =>
                {
                    var cut = new HashSet<(int From, int To)>();
                    foreach (var broker in _cluster.Brokers)
                    {
                        var rules = await witness.DropRulesAsync(broker.ContainerId);
                        foreach (var other in _cluster.Brokers.Where(o => o.Id != broker.Id && rules.Any(r => r.Contains($" {o.IpAddress}/32 ", StringComparison.Ordinal))))
                        {
                            cut.Add((broker.Id, other.Id));
                        }
                    }

                    // Two sides, each whole within itself, cut from each other both ways.
                    var sideA = _cluster.Brokers.Select(b => b.Id).Where(id => !cut.Contains((_cluster.Brokers[0].Id, id))).ToHashSet();
                    var sideB = _cluster.Brokers.Select(b => b.Id).Except(sideA).ToHashSet();
                    var expected = sideA.SelectMany(a => sideB.SelectMany(b => new[] { (a, b), (b, a) })).ToHashSet();
                    Assert.That(sideB, Is.Not.Empty, "iptables cuts some broker off");
                    Assert.That(cut, Is.EquivalentTo(expected), $"the cuts iptables lists form two halves [{string.Join(",", sideA)}] | [{string.Join(",", sideB)}]");
                });
            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "no independent look written for this fault");
        }
    }

    /// <summary>Whether a TCP connection from the test reaches the broker's listener within 3 s.</summary>
    private static async Task<bool> Connects(BrokerNode broker)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(broker.IpAddress, ZooKeeperBrokerConfig.ClientPort).WaitAsync(TimeSpan.FromSeconds(3), TimeProvider.System);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Faults overlap: a network fault's heal may come while a pause-broker holds the same broker frozen,
    /// and the engine refuses an exec into a paused container. The heal must wait for the pause to end,
    /// not fail (an hour's soak met exactly this).
    /// </summary>
    [Test]
    public async Task Exec_IntoAPausedBroker_WaitsForTheUnpauseInsteadOfFailing()
    {
        var broker = _cluster.Brokers[0];
        Assert.That(await _cluster.Access.Brokers.PauseAsync(broker, CancellationToken.None), Is.Null, "the engine froze the container");
        var exec = _cluster.Access.Brokers.ExecAsync(broker, ["iptables", "-S"], CancellationToken.None);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(2_000), TimeProvider.System);
            Assert.That(exec.IsCompleted, Is.False, "an exec into a paused container waits");
        }
        finally
        {
            await _cluster.Access.Brokers.UnpauseAsync(broker, CancellationToken.None);
        }

        var (exitCode, output) = await exec.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        Assert.That(exitCode, Is.Zero, output);
        await ClusterRecovery.WaitAsync(_cluster.Access, Topic, TimeProvider.System, TestContext.Progress.WriteLine, CancellationToken.None);
    }

    /// <summary>
    /// Delay needs the kernel's netem qdisc. Where the kernel has it, the delay must be verified by the fault
    /// and seen by the test itself (the qdisc as tc lists it, a connect that takes the delay).
    /// </summary>
    [Test]
    public async Task NetDelay_WhereTheKernelHasNetem_IsAppliedAndMeasured()
    {
        if (await NetemProbeAsync() is { } missing)
        {
            Assert.Ignore($"this kernel has no netem qdisc, so no delay can be applied here ({missing})");
        }

        var broker = _cluster.Brokers[0];
        string? qdisc = null;
        double connectMs = 0;
        var (verified, events) = await ApplyAndHealAsync(new FaultSpec { Kind = FaultKinds.NetDelay, DelayMs = 200, AllBrokers = true }, async () =>
        {
            (_, qdisc) = await _cluster.Access.Network.RunAsync(broker, ["tc", "qdisc", "show", "dev", "eth0"], CancellationToken.None);
            var started = TimeProvider.System.GetTimestamp();
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(broker.IpAddress, ZooKeeperBrokerConfig.ClientPort);
            connectMs = TimeProvider.System.GetElapsedTime(started).TotalMilliseconds;
        });

        Assert.That(verified, Is.True, string.Join(" | ", events.Select(e => e.Detail)));
        Assert.That(qdisc, Does.Contain("netem").And.Contain("delay 200"), "the qdisc as tc lists it, asked by the test");
        Assert.That(connectMs, Is.GreaterThan(150), "a connect from the test to the delayed broker");
        await AssertFullyHealedAsync(events);
    }

    /// <summary>Where the kernel has no netem (as on the machines this project is built on), the fault says so and counts as not applied, never as a delay that happened.</summary>
    [Test]
    public async Task NetDelay_WhereTheKernelHasNoNetem_IsReportedNotApplied()
    {
        if (await NetemProbeAsync() is null)
        {
            Assert.Ignore("this kernel has netem; NetDelay_WhereTheKernelHasNetem_IsAppliedAndMeasured covers it");
        }

        var (verified, events) = await ApplyAndHealAsync(new FaultSpec { Kind = FaultKinds.NetDelay, DelayMs = 200, AllBrokers = true });

        Assert.That(verified, Is.False);
        Assert.That(events[1].Phase, Is.EqualTo(FaultPhase.NotApplied));
        Assert.That(events[1].Detail, Does.Contain("no netem qdisc"));
        await AssertFullyHealedAsync(events);
    }

    /// <summary>
    /// The test's own question to the kernel, apart from the fault's: a netem qdisc added to, and removed from,
    /// the loopback of the first broker's namespace. Null when the kernel took it, else what tc said.
    /// </summary>
    private async Task<string?> NetemProbeAsync()
    {
        var (exit, output) = await _cluster.Access.Network.RunAsync(_cluster.Brokers[0],
            ["sh", "-c", "tc qdisc add dev lo root netem delay 1ms && tc qdisc del dev lo root"], CancellationToken.None);
        return exit == 0 ? null : output.Trim();
    }

    /// <summary>
    /// A broker that keeps running but has lost its registration (what a 0.9 broker is left with when it
    /// misses its new ZooKeeper session after a partition): the heal must restart it and say so.
    /// </summary>
    [Test]
    public async Task Heal_RestartsABrokerThatIsRunningButNeverRejoins()
    {
        await new DistributionShell(_cluster.Access.Brokers, ZooKeeperBrokerConfig.KafkaHome, _cluster.ZooKeeperConnect).ZooKeeperCommandAsync("delete /brokers/ids/2", CancellationToken.None);
        Assert.That((await _cluster.Access.Topology.TopologyAsync(Topic, CancellationToken.None)).Brokers, Does.Not.Contain(2), "broker 2 unregistered, still running");

        var (verified, events) = await ApplyAndHealAsync(new FaultSpec { Kind = FaultKinds.NetLoss, LossPercent = 20, Broker = 1 });

        Assert.That(verified, Is.True);
        Assert.That(events[^1].Detail, Does.StartWith("healed; all brokers up and all replicas in sync")
            .And.Contain("broker(s) [2] were running but had not rejoined 60 s after the heal, and were restarted"));
        await AssertFullyHealedAsync(events);
    }

    /// <summary>Least privilege: the faults need NET_ADMIN and nothing more, and clients need no published port.</summary>
    [Test]
    public async Task Containers_GetOnlyNetAdmin_AndPublishNoPortOnTheHost()
    {
        var containers = await ClusterEnvironment.Engine.Client.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ResourceLabels.Run}={_cluster.RunId}"] = true } },
        });
        Assert.That(containers, Has.Count.EqualTo(4), "ZooKeeper and three brokers");
        foreach (var listed in containers)
        {
            var container = await ClusterEnvironment.Engine.Client.Containers.InspectContainerAsync(listed.ID);
            Assert.That(container.HostConfig.Privileged, Is.False, container.Name);
            Assert.That(container.HostConfig.CapAdd, Is.EqualTo(new[] { "NET_ADMIN" }), container.Name);
            Assert.That(container.HostConfig.PublishAllPorts, Is.False, container.Name);
            Assert.That(container.HostConfig.PortBindings ?? new Dictionary<string, IList<Docker.DotNet.Models.PortBinding>>(), Is.Empty, container.Name);
            Assert.That(container.HostConfig.NetworkMode, Does.StartWith("kafka-chaos-"), $"{container.Name} is on the run's own network, not the host's");
            Assert.That(listed.Ports.Where(p => p.PublicPort != 0), Is.Empty, container.Name);
        }
    }

    /// <summary>
    /// Applies the fault, runs <paramref name="whileApplied"/> (the test's own look at it) once the fault says it took
    /// effect, then heals, even when a check fails, so that the next fault meets a whole cluster.
    /// </summary>
    private async Task<(bool Verified, IReadOnlyList<FaultEvent> Events)> ApplyAndHealAsync(FaultSpec spec, Func<Task>? whileApplied = null)
    {
        bool verified;
        using (var journal = new JournalWriter(_journalDirectory, TimeProvider.System))
        {
            journal.WriteRunStarted("faults", 0, new Dictionary<string, string>());
            var fault = FaultKinds.Create(spec, new FaultContext(_cluster.Access, Topic, 3, null, null, new Random(1), journal, TimeProvider.System, TestContext.Progress.WriteLine));
            try
            {
                await fault.ApplyAsync(CancellationToken.None);
                if (whileApplied is not null && fault.Verified)
                {
                    await whileApplied();
                }
            }
            finally
            {
                await fault.HealAsync(CancellationToken.None);
            }

            verified = fault.Verified;
        }

        var events = JournalReader.ReadRunDirectory(_journalDirectory).History.Faults;
        foreach (var e in events)
        {
            TestContext.Progress.WriteLine($"{e.Fault} {EnumNames<FaultPhase>.ToName(e.Phase)} {e.Target}: {e.Detail}");
        }

        return (verified, events);
    }

    private async Task AssertFullyHealedAsync(IReadOnlyList<FaultEvent> events)
    {
        Assert.That(events[^1].Phase, Is.EqualTo(FaultPhase.End));
        Assert.That(events[^1].Detail, Does.StartWith("healed; all brokers up and all replicas in sync"));
        if (events[^1].Detail.Contains("were restarted", StringComparison.Ordinal))
        {
            // Kafka's own failure to rejoin, repaired by the heal; worth seeing in the log, not a failure of the tool.
            TestContext.Progress.WriteLine($"note: the heal restarted a broker that had not rejoined: {events[^1].Detail}");
        }
        var witness = Witness;
        foreach (var broker in _cluster.Brokers)
        {
            Assert.That(await NetworkRules.LeftoversAsync(_cluster.Access.Network, broker, CancellationToken.None), Is.Empty, $"rules left on {broker.Target}");
            Assert.That(await witness.DropRulesAsync(broker.ContainerId), Is.Empty, $"iptables -S, read by the test, lists no DROP rule on {broker.Target}");
            var record = await witness.ContainerAsync(broker.ContainerId);
            Assert.That((record.Running, record.Paused), Is.EqualTo((true, false)), $"the engine shows {broker.Target} running, not paused");
        }

        var all = _cluster.Brokers.Select(b => b.Id).Order().ToList();
        var (whole, seen) = await witness.MetadataUntilAsync(Topic,
            m => m.Brokers.Count == all.Count && m.Topics.Single().Partitions.All(p => p.InSyncReplicas.Order().SequenceEqual(all)), EffectTimeout);
        Assert.That(whole, Is.True, $"the test's own client sees every broker in every ISR: {seen}");
    }
}
