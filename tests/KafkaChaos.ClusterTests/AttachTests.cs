using System.Diagnostics;
using KafkaChaos.Cluster;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using KafkaChaos.Tests;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// Broker faults on a cluster the tool did not start: ZooKeeper and three brokers of the project's image,
/// started by docker-compose from compose/zookeeper-local.yml as a user would. The tool finds the brokers,
/// applies and heals each fault (network ones through sidecars, as the brokers have no NET_ADMIN), and
/// afterwards every container of the project still runs, none was removed, and no sidecar is left.
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public class AttachTests
{
    private const string Topic = "attached";
    private readonly string _project = $"kcattach{Environment.ProcessId}";
    private AttachedCluster _cluster = null!;
    private string _journalDirectory = "";

    private static IEnumerable<FaultSpec> Faults() =>
    [
        new() { Kind = FaultKinds.KillLeader, Partition = 0 },
        new() { Kind = FaultKinds.PauseBroker, Broker = 2 },
        new() { Kind = FaultKinds.IsolateLeader, Partition = 1 },
        new() { Kind = FaultKinds.NetLoss, LossPercent = 30, Broker = 3 },
    ];

    [OneTimeSetUp]
    public async Task StartComposeProjectAndAttach()
    {
        await ComposeAsync("up", "-d");
        // Attaching waits for a broker that answers on its listener but has not registered; before the JVMs
        // listen at all there is nothing to wait for, so the test retries until the compose file's three are in.
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            try
            {
                _cluster = await AttachedCluster.AttachAsync(ClusterEnvironment.Engine, _project, null, $"attach-test-{Environment.ProcessId}",
                    BrokerImageBuilder.DefaultBaseImage, TestContext.Progress.WriteLine, TimeProvider.System, CancellationToken.None);
                if (_cluster.Access.Brokers.Brokers.Count == 3)
                {
                    break;
                }

                await _cluster.DisposeAsync();
            }
            catch (ClusterConfigException) when (TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(90))
            {
            }

            Assert.That(TimeProvider.System.GetElapsedTime(started), Is.LessThan(TimeSpan.FromSeconds(90)), "three brokers registered");
            await Task.Delay(TimeSpan.FromMilliseconds(2_000), TimeProvider.System);
        }

        await _cluster.CreateTopicAsync(Topic, 3, 3, new Dictionary<string, string>(), CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task RemoveComposeProject()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await ComposeAsync("down", "-v");
    }

    [SetUp]
    public void CreateJournalDirectory() => _journalDirectory = Directory.CreateTempSubdirectory("kafka-chaos-attach-").FullName;

    [TearDown]
    public void RemoveJournalDirectory() => Directory.Delete(_journalDirectory, recursive: true);

    [Test]
    public async Task Attach_MapsEveryBrokerIdToItsContainer_AndReadsTheVersionFromTheBroker()
    {
        foreach (var broker in _cluster.Access.Brokers.Brokers)
        {
            // Independently of the tool: the container's own BROKER_ID, which the compose file gave it.
            var inspected = await ClusterEnvironment.Engine.Client.Containers.InspectContainerAsync(broker.ContainerId);
            Assert.That(inspected.Config.Env, Does.Contain($"BROKER_ID={broker.Id}"), broker.Target);
            Assert.That(inspected.Config.Labels["com.docker.compose.project"], Is.EqualTo(_project));
        }

        Assert.That(_cluster.Version, Is.EqualTo(ClusterEnvironment.Version));
        Assert.That(_cluster.VersionSource, Does.Contain("jar"));
        Assert.That(_cluster.Coordination, Does.StartWith("ZooKeeper at "));
    }

    [TestCaseSource(nameof(Faults))]
    public async Task Fault_IsVerifiedAndHealed_AndTheProjectIsIntact(FaultSpec spec)
    {
        var containersBefore = await ProjectContainersAsync();
        var witness = new ClusterWitness(ClusterEnvironment.Engine.Client, _cluster.ClientSettings);
        var brokers = _cluster.Access.Brokers.Brokers.ToList();
        // Where the fault picks its broker by role, the test finds that broker first, with its own client.
        var target = spec.Partition is { } partition ? await witness.LeaderOfAsync(Topic, partition) : spec.Broker ?? throw new ArgumentException("a fault with a broker or a partition", nameof(spec));
        var victim = brokers.Single(b => b.Id == target);
        FaultEvent[] events;
        bool verified;
        using (var journal = new JournalWriter(_journalDirectory, TimeProvider.System))
        {
            journal.WriteRunStarted("attach", 0, new Dictionary<string, string>());
            var fault = FaultKinds.Create(spec, new FaultContext(_cluster.Access, Topic, 3, null, null, new Random(1), journal, TimeProvider.System, TestContext.Progress.WriteLine));
            try
            {
                await fault.ApplyAsync(CancellationToken.None);
                verified = fault.Verified;
                if (verified)
                {
                    await LookWhileAppliedAsync(spec, witness, victim);
                }
            }
            finally
            {
                await fault.HealAsync(CancellationToken.None);
            }
        }

        events = [.. JournalReader.ReadRunDirectory(_journalDirectory).History.Faults];
        Assert.That(verified, Is.True, string.Join(" | ", events.Select(e => e.Detail)));
        Assert.That(events.Select(e => e.Phase), Is.EqualTo(new[] { FaultPhase.Start, FaultPhase.Verified, FaultPhase.End }));
        Assert.That(events[0].Target, Does.StartWith($"broker-{target} "), "the fault hit the broker the test itself found");
        Assert.That(events[^1].Detail, Does.StartWith("healed; all brokers up and all replicas in sync"));

        var containersAfter = await ProjectContainersAsync();
        Assert.That(containersAfter, Is.EqualTo(containersBefore), "every container of the project is still there, running");
        Assert.That((await ClusterEnvironment.LabelledAsync()).Containers, Is.Zero, "no sidecar is left");
        foreach (var broker in brokers)
        {
            Assert.That(await NetworkRules.LeftoversAsync(_cluster.Access.Network, broker, CancellationToken.None), Is.Empty, $"rules left on {broker.Target}");
            await _cluster.Access.Network.ReleaseAsync(broker, CancellationToken.None);
            Assert.That(await IptablesDropsAsync(broker), Is.Empty, $"iptables -S, read by the test, lists no DROP rule on {broker.Target}");
        }

        var (whole, seen) = await witness.MetadataUntilAsync(Topic,
            m => m.Topics.Single().Partitions.All(p => p.InSyncReplicas.Length == brokers.Count), TimeSpan.FromSeconds(45));
        Assert.That(whole, Is.True, $"the test's own client sees every broker in every ISR: {seen}");
    }

    /// <summary>The test's own look at the fault while it holds: the engine for processes, iptables (through a container of the test's own) for rules.</summary>
    private async Task LookWhileAppliedAsync(FaultSpec spec, ClusterWitness witness, BrokerNode victim)
    {
        var record = await witness.ContainerAsync(victim.ContainerId);
        switch (spec.Kind)
        {
            case FaultKinds.KillLeader:
                Assert.That((record.Running, record.ExitCode), Is.EqualTo((false, 137L)), $"the engine shows {victim.Target} killed");
                break;
            case FaultKinds.PauseBroker:
                Assert.That(record.Paused, Is.True, $"the engine shows {victim.Target} frozen");
                break;
            case FaultKinds.IsolateLeader:
                var rules = await IptablesDropsAsync(victim);
                foreach (var peer in _cluster.Access.Brokers.Brokers.Where(b => b.Id != victim.Id))
                {
                    Assert.That(rules.Count(r => r.Contains($" {peer.IpAddress}/32 ", StringComparison.Ordinal)), Is.EqualTo(2), $"{victim.Target} cut from {peer.Target} both ways: {string.Join(" | ", rules)}");
                }

                break;
            case FaultKinds.NetLoss:
                Assert.That(await IptablesDropsAsync(victim), Has.Some.Match(@"-m statistic --mode random --probability 0\.(3|29999)\d* -j DROP"));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "no independent look written for this fault");
        }
    }

    /// <summary>
    /// The DROP rules in a broker's namespace, as <c>iptables -S</c> lists them in a container of the test's own that
    /// joins it through the docker CLI (the compose file's brokers have no NET_ADMIN of their own).
    /// </summary>
    private static async Task<IReadOnlyList<string>> IptablesDropsAsync(BrokerNode broker) =>
        (await RunAsync("docker", "run", "--rm", "--network", $"container:{broker.ContainerId}", "--cap-add", "NET_ADMIN", SidecarImage.Tag, "iptables", "-S"))
        .Split('\n').Where(line => line.StartsWith("-A ", StringComparison.Ordinal) && line.EndsWith("-j DROP", StringComparison.Ordinal)).ToList();

    /// <summary>
    /// The whole path a user takes: <c>run --attach &lt;compose project&gt;</c> with a broker fault. The verdict is
    /// held to a plain read of the run's topic, which stays on the user's cluster.
    /// </summary>
    [Test]
    public async Task Run_WithAttach_AppliesABrokerFault_AndItsCountsAgreeWithAPlainRead()
    {
        var runs = Path.Combine(_journalDirectory, "runs");
        var containersBefore = await ProjectContainersAsync();

        // A consumer fetching from the isolated leader learns of the new one only when its socket times out
        // (librdkafka's socket.timeout.ms, 60 s): the drain waits past that, so that the group's stall is not
        // mistaken for the end of the topic (CI met a 30 s drain giving up on 520 stored messages).
        var (exitCode, output, error) = await CliProcess.RunAsync("run", "--attach", _project, "--fault", FaultKinds.IsolateLeader, "--messages", "3000", "--rate", "500",
            "--fault-at", "2", "--drain-timeout", "90s", "--runs-dir", runs, "--seed", "5");

        Assert.That(exitCode, Is.Zero, output + error);
        Assert.That(error, Does.Contain($"attached to {_project}: brokers 1="));
        var cell = ResultsJson.Read(ClusterEnvironment.RunDirectoryIn(runs))!.Cells.Single();
        Assert.That((cell.Status, cell.Valid, cell.JudgedOnFinalLog), Is.EqualTo((RunStatus.Completed, true, true)), string.Join("; ", Reports.InvalidReasons(cell)));
        Assert.That(cell.Faults.Where(f => f.Fault == FaultKinds.IsolateLeader).Select(f => f.Phase), Is.EqualTo(new[] { FaultPhase.Start, FaultPhase.Verified, FaultPhase.End }));
        Assert.That(cell.Config["cluster.attach"], Is.EqualTo(_project));

        var plain = PlainTopicRead.Of(_cluster.ClientSettings);
        var counts = cell.Counts;
        Assert.That(plain.Distinct.Count, Is.EqualTo(counts.Sent - counts.Lost - counts.LostUnacked), "distinct messages in the log");
        Assert.That(plain.ExtraCopies, Is.EqualTo(counts.DuplicateWrites), "extra copies in the log");
        Assert.That(await ProjectContainersAsync(), Is.EqualTo(containersBefore), "the user's cluster is as it was");
        Assert.That((await ClusterEnvironment.LabelledAsync()).Containers, Is.Zero, "no sidecar is left");
    }

    [Test]
    public async Task Run_WithAttachAndTheFlagsOfAnOwnCluster_IsRefusedBeforeAnythingStarts()
    {
        var (exitCode, _, error) = await CliProcess.RunAsync("run", "--attach", _project, "--brokers", "5");

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.EndWith("--brokers: --attach runs on a cluster as it is, which the tool neither starts, configures nor keeps; leave --brokers out"));
    }

    [Test]
    public async Task Run_WithAttachToNothing_SaysWhatItLookedFor()
    {
        var (exitCode, _, error) = await CliProcess.RunAsync("run", "--attach", "no-such-project", "--runs-dir", Path.Combine(_journalDirectory, "runs"));

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--attach no-such-project: no running container belongs to a compose project"));
        Assert.That(Directory.Exists(Path.Combine(_journalDirectory, "runs")), Is.False, "no run directory for a run that never started");
    }

    /// <summary>The project's containers and their states, from the docker CLI.</summary>
    private async Task<string> ProjectContainersAsync() =>
        await RunAsync("docker", "ps", "-a", "--filter", $"label=com.docker.compose.project={_project}", "--format", "{{.ID}} {{.State}}");

    private Task ComposeAsync(params string[] arguments) =>
        RunAsync("docker-compose", ["-f", Path.Combine(RepositoryPaths.Root(), "compose/zookeeper-local.yml"), "-p", _project, .. arguments]);

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["KAFKA_CHAOS_IMAGE"] = ClusterEnvironment.Image;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3), TimeProvider.System);
        Assert.That(process.ExitCode, Is.Zero, $"{program} {string.Join(' ', arguments)}: {await error}");
        return string.Join('\n', (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }
}
