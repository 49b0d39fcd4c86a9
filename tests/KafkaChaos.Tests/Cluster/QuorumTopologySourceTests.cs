using KafkaChaos.Cluster;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace KafkaChaos.Tests.Cluster;

/// <summary>
/// How the active controller of a KRaft cluster is found: the quorum tool run in a broker that is up, each
/// way of reaching the quorum tried in turn, its answer reused for a few seconds; without a Docker engine.
/// </summary>
public class QuorumTopologySourceTests
{
    private const string Status = "ClusterId:              fMCL8kv1SWm87L_Md-I2hg\nLeaderId:               3\nLeaderEpoch:            4\nCurrentVoters:          [1,2,3]\n";

    [Test]
    public async Task TopologyAsync_SkipsAPausedBrokerAndTriesEachReachInTurn()
    {
        var nodes = new ScriptedNodes(paused: 1, answers: command => command.Contains("--bootstrap-controller") ? (1, "TimeoutException") : (0, Status));
        var time = new FakeTimeProvider();
        using var source = Source(nodes, time);

        var topology = await source.TopologyAsync("t", CancellationToken.None);

        Assert.That(topology.Controller, Is.EqualTo(3));
        Assert.That(nodes.Calls, Is.EqualTo(new[]
        {
            "broker-2: /opt/kafka/bin/kafka-metadata-quorum.sh --bootstrap-controller 10.0.0.12:9093 describe --status",
            "broker-2: /opt/kafka/bin/kafka-metadata-quorum.sh --bootstrap-server 10.0.0.12:9092 describe --status",
        }));
    }

    [Test]
    public async Task TopologyAsync_ReusesTheStatusForAFewSecondsThenAsksAgain()
    {
        var nodes = new ScriptedNodes(paused: null, answers: _ => (0, Status));
        var time = new FakeTimeProvider();
        using var source = Source(nodes, time);

        await source.TopologyAsync("t", CancellationToken.None);
        time.Advance(QuorumTopologySource.StatusReuse - TimeSpan.FromMilliseconds(1));
        await source.TopologyAsync("t", CancellationToken.None);
        Assert.That(nodes.Calls, Has.Count.EqualTo(1), "reused within the window");

        time.Advance(TimeSpan.FromMilliseconds(2));
        await source.TopologyAsync("t", CancellationToken.None);
        Assert.That(nodes.Calls, Has.Count.EqualTo(2), "asked again after it");
    }

    [Test]
    public async Task TopologyAsync_NoBrokerCanSay_LeavesTheControllerUnknown()
    {
        var nodes = new ScriptedNodes(paused: null, answers: _ => (1, "org.apache.kafka.common.errors.TimeoutException"));
        using var source = Source(nodes, new FakeTimeProvider());

        Assert.That((await source.TopologyAsync("t", CancellationToken.None)).Controller, Is.EqualTo(-1));
    }

    private static QuorumTopologySource Source(ScriptedNodes nodes, TimeProvider time) =>
        new(new MetadataTopologySource([], [], new Dictionary<string, string>(), time), nodes, KafkaImageLayout.Apache,
            broker => [["--bootstrap-controller", $"{broker.IpAddress}:9093"], ["--bootstrap-server", $"{broker.IpAddress}:9092"]], time);

    /// <summary>Two brokers; one may be paused; exec answers from a script and is recorded.</summary>
    private sealed class ScriptedNodes(int? paused, Func<string, (long, string)> answers) : IBrokerControl
    {
        public List<string> Calls { get; } = [];

        public IReadOnlyList<BrokerNode> Brokers { get; } = [new(1, "c1", "broker-1", "10.0.0.11"), new(2, "c2", "broker-2", "10.0.0.12")];

        public Task<(bool Running, bool Paused)> StateAsync(BrokerNode broker, CancellationToken cancellationToken) => Task.FromResult((true, broker.Id == paused));

        public Task<(long ExitCode, string Output)> ExecAsync(BrokerNode broker, IList<string> command, CancellationToken cancellationToken)
        {
            var line = string.Join(' ', command);
            Calls.Add($"broker-{broker.Id}: {line}");
            return Task.FromResult(answers(line));
        }

        public Task KillAsync(BrokerNode broker, string signal, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task StopAsync(BrokerNode broker, TimeSpan grace, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task StartAsync(BrokerNode broker, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string?> PauseAsync(BrokerNode broker, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task UnpauseAsync(BrokerNode broker, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> LogTailAsync(BrokerNode broker, int lines, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
