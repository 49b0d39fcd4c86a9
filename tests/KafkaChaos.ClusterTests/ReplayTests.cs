using Docker.DotNet.Models;
using KafkaChaos.Experiments.Replay;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// A recorded kill-leader cell replayed on a fresh cluster: the engine's own event log, not the tool's journal,
/// must show the replay's kill on the broker id the recording hit, at the recorded offset from the workload's
/// start within a stated tolerance.
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public class ReplayTests : RunDirectoryTest
{
    /// <summary>How far a replayed fault may land from the recorded time: the schedule's own wait granularity plus the engine's kill.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    [Test]
    public async Task Replay_KillsTheRecordedBrokerIdAtTheRecordedTime_AsTheEnginesEventsShow()
    {
        var recordedRuns = Path.Combine(Runs, "recorded");
        var recording = await CliProcess.RunAsync("run", "--fault", "kill-leader", "--partition", "0", "--fault-at", "2", "--fault-duration", "3",
            "--messages", "6000", "--rate", "1000", "--image", ClusterEnvironment.Image, "--runs-dir", recordedRuns);
        Assert.That(recording.ExitCode, Is.AnyOf(0, 1), recording.Error);
        var recordedCell = Path.Combine(ClusterEnvironment.RunDirectoryIn(recordedRuns), "cells", "001");
        var recorded = ReplaySchedule.Read(recordedCell).Faults.Single();
        Assert.That(recorded.Kind, Is.EqualTo("kill-leader"));
        Assert.That(recorded.AppliedSeconds, Is.EqualTo(2).Within(1), "applied when it was due, 2 s into the workload");
        Assert.That(recorded.Broker, Is.Not.Null, "the recording names the broker it hit");

        // The engine's word, watched live while the replay runs (its event buffer keeps only the last few hundred).
        var kills = new EventLog();
        using var watching = new CancellationTokenSource();
        var monitor = ClusterEnvironment.Engine.Client.System.MonitorEventsAsync(new ContainerEventsParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["type"] = new Dictionary<string, bool> { ["container"] = true }, ["event"] = new Dictionary<string, bool> { ["kill"] = true } },
        }, kills, watching.Token);
        var replayRuns = Path.Combine(Runs, "replayed");
        var replay = await CliProcess.RunAsync("replay", recordedCell, "--runs-dir", replayRuns);
        await watching.CancelAsync();
        try
        {
            await monitor;
        }
        catch (OperationCanceledException)
        {
        }

        TestContext.Progress.WriteLine(replay.Output);
        Assert.That(replay.ExitCode, Is.AnyOf(0, 1), replay.Error);
        var replayDirectory = ClusterEnvironment.RunDirectoryIn(replayRuns);
        Assert.That(File.ReadAllText(Path.Combine(replayDirectory, "replay.md")), Does.Contain($"| kill-leader as kill-broker | {recorded.Broker} → {recorded.Broker} |"));
        var replayed = ReplaySchedule.Read(Path.Combine(replayDirectory, "cells", "001"));
        var runId = ResultsJson.Read(replayDirectory)!.RunId;
        var brokerKills = kills.Messages.Where(k => k.Actor.Attributes.TryGetValue("name", out var name) && name.StartsWith($"kafka-chaos-{runId}", StringComparison.Ordinal)
            && name.Contains("-broker-", StringComparison.Ordinal) && k.Actor.Attributes.TryGetValue("signal", out var signal) && signal == "9").ToList();
        foreach (var kill in brokerKills)
        {
            TestContext.Progress.WriteLine($"engine: kill {kill.Actor.Attributes["name"]} at {kill.TimeNano}");
        }

        // The teardown kills every container at the end; the fault's kill is the one before the fault's own heal.
        var healedMs = replayed.WorkloadStartMs + (replayed.Faults.Single().HealedSeconds!.Value * 1000);
        brokerKills = [.. brokerKills.Where(k => k.TimeNano / 1_000_000.0 < healedMs)];
        Assert.That(brokerKills, Has.Count.EqualTo(1), "the replay killed one broker, once, while the fault held");
        Assert.That(brokerKills[0].Actor.Attributes["name"], Does.EndWith($"-broker-{recorded.Broker}"), "the broker id the recording hit");
        var offset = TimeSpan.FromMilliseconds((brokerKills[0].TimeNano / 1_000_000.0) - replayed.WorkloadStartMs);
        TestContext.Progress.WriteLine($"recorded at {recorded.AppliedSeconds:0.000} s, the engine killed it {offset.TotalSeconds:0.000} s into the replay's workload");
        Assert.That(Math.Abs(offset.TotalSeconds - recorded.AppliedSeconds!.Value), Is.LessThanOrEqualTo(Tolerance.TotalSeconds), "at the recorded time, within the tolerance");
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }

    /// <summary>Engine events as they arrive, kept in order (Progress&lt;T&gt; would post them later, past the end of the watch).</summary>
    private sealed class EventLog : IProgress<Message>
    {
        private readonly List<Message> _messages = [];

        public IReadOnlyList<Message> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public void Report(Message value)
        {
            lock (_messages)
            {
                _messages.Add(value);
            }
        }
    }
}
