using KafkaChaos.Cluster;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// <c>cluster up</c>, then <c>run --attach &lt;cluster id&gt;</c> from another process: the broker faults apply to a
/// cluster of the tool's own that this run did not start, and the cluster is left as it was found.
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public class AttachOwnClusterTests
{
    [Test]
    public async Task Run_AttachedToAClusterUpCluster_AppliesBrokerFaults_AndLeavesTheClusterRunning()
    {
        var runs = Directory.CreateTempSubdirectory("kafka-chaos-attach-own-").FullName;
        await using var cluster = await KafkaCluster.StartAsync(ClusterEnvironment.Engine,
            new ClusterSpec(ClusterEnvironment.Image, ClusterEnvironment.Version, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" }),
            $"up-{Environment.ProcessId}", TestContext.Progress.WriteLine, CancellationToken.None);
        try
        {
            var (exitCode, output, error) = await CliProcess.RunAsync("run", "--attach", cluster.RunId, "--fault", FaultKinds.PauseBroker, "--broker", "2",
                "--messages", "2000", "--rate", "400", "--fault-at", "2", "--runs-dir", runs);

            Assert.That(exitCode, Is.Zero, output + error);
            var cell = ResultsJson.Read(ClusterEnvironment.RunDirectoryIn(runs))!.Cells.Single();
            Assert.That((cell.Status, cell.Valid), Is.EqualTo((RunStatus.Completed, true)), string.Join("; ", Reports.InvalidReasons(cell)));
            Assert.That(cell.Faults.Where(f => f.Fault == FaultKinds.PauseBroker).Select(f => (f.Phase, f.Target)),
                Is.EqualTo(new[] { (FaultPhase.Start, cluster.Brokers[1].Target), (FaultPhase.Verified, cluster.Brokers[1].Target), (FaultPhase.End, cluster.Brokers[1].Target) }));
            foreach (var broker in cluster.Brokers)
            {
                // From the engine, not the tool: every broker still runs, none is left paused.
                var state = (await ClusterEnvironment.Engine.Client.Containers.InspectContainerAsync(broker.ContainerId)).State;
                Assert.That((state.Running, state.Paused), Is.EqualTo((true, false)), broker.Target);
            }

            var labelled = await ClusterEnvironment.LabelledAsync();
            Assert.That(labelled.Containers, Is.EqualTo(4), "ZooKeeper and three brokers, and no sidecar");
        }
        finally
        {
            Directory.Delete(runs, recursive: true);
        }
    }
}
