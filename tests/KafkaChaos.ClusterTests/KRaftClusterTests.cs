using System.Globalization;
using Docker.DotNet.Models;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// Own KRaft clusters on a real Kafka 3.3+ image: a leader kill and an idempotent cell held to a plain read
/// of the topic, the controller kill held to the quorum as the test itself asks it, and a leader isolation
/// held to the iptables rules the test reads in the broker's namespace. Where the engine has no such image
/// (no registry, no 3.3+ distribution) every test here is skipped with the reason (<see cref="KRaftImage"/>).
/// </summary>
[Category("Cluster")]
[Category("KRaft")]
[NonParallelizable]
public class KRaftClusterTests : RunDirectoryTest
{
    private const string Topic = "kraft-faults";
    private BrokerImage _image = null!;

    [OneTimeSetUp]
    public async Task FindImage()
    {
        _image = await KRaftImage.RequireAsync();
        TestContext.Progress.WriteLine($"KRaft tests on {_image.Image}: Kafka {_image.Version}, {_image.Layout.Name} layout");
    }

    [Test]
    public async Task KillLeader_OnKRaft_KillsTheLeadersContainerAndTheLedgerAgreesWithAPlainRead()
    {
        var spec = ExperimentSpec.Default with
        {
            Messages = 6_000,
            RatePerSecond = 1_500,
            Faults = [new FaultSpec { Kind = FaultKinds.KillLeader, Partition = 0, When = new FaultTrigger(TimeSpan.FromSeconds(1.5)), Duration = TimeSpan.FromSeconds(3) }],
        };

        await RunOnKeptClusterAsync(spec, async (cell, cluster) =>
        {
            Assert.That(cell.Config["cluster.mode"], Is.EqualTo("kraft"));

            // The engine's own record: the container the fault named was started again after the fault began.
            var start = cell.Faults.First(f => f.Phase == FaultPhase.Start);
            var killed = cluster.Brokers.Single(b => start.Target.Contains(b.ContainerName, StringComparison.Ordinal));
            var inspected = await ClusterEnvironment.Engine.Client.Containers.InspectContainerAsync(killed.ContainerId);
            Assert.That(DateTimeOffset.Parse(inspected.State.StartedAt, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), Is.GreaterThan(start.TimestampMs));

            var plain = PlainTopicRead.Of(cluster.ClientSettings);
            var counts = cell.Counts;
            Assert.That(plain.Distinct.Count, Is.EqualTo(counts.Sent - counts.Lost - counts.LostUnacked), "distinct messages in the log");
            Assert.That(plain.ExtraCopies, Is.EqualTo(counts.DuplicateWrites), "extra copies in the log");
            Assert.That(counts.Lost, Is.Zero, "acks=all with min.insync.replicas=2 on a clean election loses nothing acknowledged");
        });
    }

    [Test]
    public async Task Idempotence_OnKRaft_WritesNoDuplicateUnderLostResponsesAsAPlainReadCounts()
    {
        var plan = ExperimentFile.Load(Path.Combine(KafkaChaos.Tests.RepositoryPaths.Root(), "experiments", "idempotence-net-loss.yaml"));
        var idempotent = plan.Cells.First(c => c.Settings["producer.enable.idempotence"] == "true");

        await RunOnKeptClusterAsync(idempotent.Spec with { Name = idempotent.Name }, (cell, cluster) =>
        {
            var plain = PlainTopicRead.Of(cluster.ClientSettings);
            Assert.That(plain.ExtraCopies, Is.Zero, "the idempotent producer's retries left no second copy in the log");
            Assert.That(cell.Counts.DuplicateWrites, Is.EqualTo(plain.ExtraCopies));
            Assert.That(cell.Counts.OutOfOrder, Is.Zero);
            return Task.CompletedTask;
        });
    }

    /// <summary>Runs one completed, valid cell on a KRaft cluster of the image, checks it on the kept cluster, then removes the cluster.</summary>
    private async Task RunOnKeptClusterAsync(ExperimentSpec spec, Func<CellResult, KafkaCluster, Task> check)
    {
        var runner = new ExperimentRunner(ClusterEnvironment.Engine, TimeProvider.System, TestContext.Progress.WriteLine) { KeepCluster = true };
        try
        {
            var outcome = await runner.RunAsync(spec, _image.Image, _image.Version, Runs, CancellationToken.None);
            var cell = outcome.Results.Cells.Single();
            Assert.That((cell.Status, cell.Valid), Is.EqualTo((RunStatus.Completed, true)), string.Join("; ", Reports.InvalidReasons(cell)));
            await check(cell, runner.KeptCluster!);
        }
        finally
        {
            if (runner.KeptCluster is { } kept)
            {
                await kept.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task KillController_OnKRaft_TheQuorumItselfNamesAnotherLeader()
    {
        await using var cluster = await StartClusterAsync();
        var before = await QuorumLeaderAsync(cluster, exceptNode: null);

        await ApplyAsync(cluster, new FaultSpec { Kind = FaultKinds.KillController }, async () =>
        {
            // While the controller is down, the quorum as the test asks it through another broker has moved on.
            var during = await QuorumLeaderAsync(cluster, exceptNode: before);
            Assert.That(during, Is.Not.EqualTo(before));
            var killed = cluster.Brokers.Concat(cluster.Controllers).Single(n => n.Id == before);
            Assert.That((await ClusterEnvironment.Engine.Client.Containers.InspectContainerAsync(killed.ContainerId)).State.Running, Is.False, "the old leader's container is down");
        });
    }

    [Test]
    public async Task IsolateLeader_OnKRaft_CutsItFromEveryOtherNodeIncludingTheControllerListener()
    {
        await using var cluster = await StartClusterAsync();
        var leader = (await cluster.Access.Topology.TopologyAsync(Topic, CancellationToken.None)).Partition(0)!.Leader;
        var isolated = cluster.Brokers.Single(b => b.Id == leader);

        await ApplyAsync(cluster, new FaultSpec { Kind = FaultKinds.IsolateLeader, Partition = 0 }, async () =>
        {
            var rules = await ListRulesAsync(isolated);
            TestContext.Progress.WriteLine($"iptables -S in broker-{leader}'s namespace:\n{rules}");
            // Every other node, whichever port it listens on (9092 for clients and replication, 9093 for the
            // quorum): in combined mode each broker is a voter, so the leader is cut from the quorum too.
            foreach (var other in cluster.Brokers.Concat(cluster.Controllers).Where(n => n.Id != leader))
            {
                Assert.That(rules, Does.Contain($"-d {other.IpAddress}/32 -j DROP"), $"traffic to node {other.Id} dropped");
                Assert.That(rules, Does.Contain($"-s {other.IpAddress}/32 -j DROP"), $"traffic from node {other.Id} dropped");
            }
        });
    }

    private async Task<KafkaCluster> StartClusterAsync()
    {
        var settings = new Dictionary<string, string> { ["min.insync.replicas"] = "2", ["auto.leader.rebalance.enable"] = "false" };
        var cluster = await KafkaCluster.StartAsync(ClusterEnvironment.Engine, new ClusterSpec(_image.Image, _image.Version, 3, settings, Mode: ClusterMode.KRaft),
            $"kraft-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..4]}", TestContext.Progress.WriteLine, CancellationToken.None);
        await cluster.CreateTopicAsync(Topic, 3, 3, new Dictionary<string, string>(), CancellationToken.None);
        return cluster;
    }

    /// <summary>The quorum's LeaderId as the test reads it: kafka-metadata-quorum run by the test in a broker's container.</summary>
    private async Task<int> QuorumLeaderAsync(KafkaCluster cluster, int? exceptNode)
    {
        for (var attempt = 0; attempt < 30; attempt++)
        {
            foreach (var broker in cluster.Brokers.Where(b => b.Id != exceptNode))
            {
                var (exitCode, output) = await ClusterEnvironment.Engine.ExecAsync(broker.ContainerId,
                    [_image.Layout.Script("kafka-metadata-quorum"), "--bootstrap-server", $"{broker.IpAddress}:9092", "describe", "--status"], CancellationToken.None);
                var leader = output.Split('\n').Select(l => l.Split(':', 2)).FirstOrDefault(p => p[0].Trim() == "LeaderId");
                if (exitCode == 0 && leader is not null && int.TryParse(leader[1].Trim(), CultureInfo.InvariantCulture, out var id) && id >= 0 && id != exceptNode)
                {
                    return id;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1_000), TimeProvider.System);
        }

        throw new AssertionException("no broker named a quorum leader within 30 tries");
    }

    /// <summary>The iptables rules in <paramref name="broker"/>'s network namespace, listed by a container of the test's own that joins it.</summary>
    private static async Task<string> ListRulesAsync(BrokerNode broker)
    {
        var engine = ClusterEnvironment.Engine;
        var created = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = BrokerImageBuilder.DefaultBaseImage,
            Entrypoint = ["iptables", "-S"],
            Labels = ResourceLabels.For("kraft-rules", "test-iptables"),
            HostConfig = new HostConfig { NetworkMode = $"container:{broker.ContainerId}", CapAdd = ["NET_ADMIN"] },
        });
        try
        {
            await engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            await engine.Client.Containers.WaitContainerAsync(created.ID);
            return await engine.LogsAsync(created.ID, CancellationToken.None);
        }
        finally
        {
            await engine.Client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    private static async Task ApplyAsync(KafkaCluster cluster, FaultSpec spec, Func<Task> whileApplied)
    {
        var directory = Directory.CreateTempSubdirectory("kafka-chaos-kraft-").FullName;
        try
        {
            using var journal = new JournalWriter(directory, TimeProvider.System);
            journal.WriteRunStarted("kraft", 0, new Dictionary<string, string>());
            var fault = FaultKinds.Create(spec, new FaultContext(cluster.Access, Topic, 3, null, null, new Random(1), journal, TimeProvider.System, TestContext.Progress.WriteLine));
            try
            {
                await fault.ApplyAsync(CancellationToken.None);
                Assert.That(fault.Verified, Is.True, $"{spec.Kind} took effect on KRaft");
                await whileApplied();
            }
            finally
            {
                await fault.HealAsync(CancellationToken.None);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
