using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using KafkaChaos.Cluster;
using KafkaChaos.Journal;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// The run stopped at random points of its workload, its journal held to counts the tool does not make:
/// the messages the brokers store (a plain read of the kept topic) and the messages the producer client
/// itself says it accepted (librdkafka's statistics, which the tool copies into client.log untouched).
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public partial class InterruptCountTests : CliExperimentTest
{
    private const int Rate = 1000;

    protected override string ExperimentText => $$"""
        name: interrupt-count
        cluster: { brokers: 3 }
        topic: { partitions: 3, replication_factor: 3, min_insync_replicas: 2 }
        workload: { messages: 40000, rate: {{Rate}} }
        producer: { acks: all, statistics.interval.ms: 100 }
        consumer: { commit: process-then-commit-sync, batch: 50 }
        faults:
          - { kind: kill-leader, partition: 0, at: 4s, duration: 5s }
        """;

    /// <summary>
    /// SIGINT at three points drawn from a printed seed. Every message the brokers hold has its one outcome
    /// in the journal; the journal's sends are 0..n-1 without a gap; the client's own count of accepted
    /// messages at its last statistics is covered, and exceeded by at most what a second sends; verify agrees
    /// with results.json.
    /// </summary>
    [Test]
    public async Task Sigint_AtRandomPoints_JournalsEverySendTheClientAndTheBrokersKnow()
    {
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        TestContext.Progress.WriteLine($"interrupt points from seed {seed}");
        for (var round = 0; round < 3; round++)
        {
            var after = TimeSpan.FromSeconds(1 + (random.NextDouble() * 25));
            var runs = Path.Combine(Folder, $"runs-{round}");
            using var run = CliProcess.Start("run", ExperimentPath, "--image", ClusterEnvironment.Image, "--runs-dir", runs, "--keep-cluster");
            _ = run.StandardOutput.ReadToEndAsync();
            var log = await ReadUntilWorkloadAsync(run);
            await Task.Delay(after, TimeProvider.System);
            await CliProcess.SignalAsync(run, "INT");
            log.Append(await run.StandardError.ReadToEndAsync());
            await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3), TimeProvider.System);
            var kept = KeptCluster().Match(log.ToString());
            try
            {
                Assert.That(run.ExitCode, Is.EqualTo(130), log.ToString());
                Assert.That(kept.Success, Is.True, log.ToString());
                var runDirectory = ClusterEnvironment.RunDirectoryIn(runs);
                var cell = Path.Combine(runDirectory, "cells", "001");
                var journal = JournalReader.ReadRunDirectory(cell);
                var outcomes = journal.History.Produced.Select(p => (p.Producer, p.Sequence)).ToList();
                var settings = new Dictionary<string, string>(ClientCompatibility.SettingsFor(ClusterEnvironment.Version))
                {
                    ["bootstrap.servers"] = kept.Groups["servers"].Value,
                };
                var plain = PlainTopicRead.Of(settings);
                var accepted = AcceptedByClient(Path.Combine(cell, "client.log"));
                TestContext.Progress.WriteLine($"SIGINT {after.TotalSeconds:0.0} s into the workload: journal {outcomes.Count} sends, "
                    + $"brokers hold {plain.Distinct.Count}, client accepted {string.Join(", ", accepted.Select(a => $"{a.Key}:{a.Value}"))} at its last statistics");

                Assert.That(journal.EndStatus, Is.EqualTo(RunStatus.Interrupted));
                Assert.That(plain.Distinct.Where(m => !outcomes.Contains(m)), Is.Empty, "messages the brokers hold that the journal has no outcome for");
                Assert.That(outcomes, Is.Unique, "one outcome per send");
                foreach (var producer in outcomes.GroupBy(o => o.Producer))
                {
                    var sent = producer.Count();
                    Assert.That(producer.Max(o => o.Sequence), Is.EqualTo(sent - 1), $"producer {producer.Key}: sequences 0..n-1, no gap");
                    var clientCount = accepted.GetValueOrDefault(ClientNames.Producer(producer.Key));
                    Assert.That(sent, Is.GreaterThanOrEqualTo(clientCount), $"producer {producer.Key}: every message the client accepted is journalled");
                    Assert.That(sent - clientCount, Is.LessThanOrEqualTo(Rate), $"producer {producer.Key}: no more sends than a second after the client's last statistics");
                }

            }
            finally
            {
                if (kept.Success)
                {
                    await CliProcess.RunAsync("cluster", "down", kept.Groups["id"].Value);
                }
            }

            Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
        }
    }

    /// <summary>
    /// SIGKILL at three points drawn from a printed seed: no teardown, so the outcomes are what the journal's
    /// last flush wrote (every 200 ms), and the cluster is left running until the sweep. The started counts
    /// (started.bin, stored before each send through a shared mapping) survive the kill. Before the sweep, the
    /// topic is read plainly: every send the journal calls acknowledged is in the log, and every message in
    /// the log is one the journal started; verify counts the rest unknown and finds no phantom.
    /// </summary>
    [Test]
    public async Task Sigkill_AtRandomPoints_KeepsEverySendTheBrokersHoldInTheJournal()
    {
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        TestContext.Progress.WriteLine($"kill points from seed {seed}");
        for (var round = 0; round < 3; round++)
        {
            var after = TimeSpan.FromSeconds(1 + (random.NextDouble() * 25));
            var runs = Path.Combine(Folder, $"killed-{round}");
            using var run = CliProcess.Start("run", ExperimentPath, "--image", ClusterEnvironment.Image, "--runs-dir", runs);
            _ = run.StandardOutput.ReadToEndAsync();
            var log = await ReadUntilWorkloadAsync(run);
            await Task.Delay(after, TimeProvider.System);
            run.Kill(); // SIGKILL: no cleanup of any kind
            await run.WaitForExitAsync();
            try
            {
                var runDirectory = ClusterEnvironment.RunDirectoryIn(runs);
                var journal = JournalReader.ReadRunDirectory(Path.Combine(runDirectory, "cells", "001"));
                var outcomes = journal.History.Produced.Select(p => (p.Producer, p.Sequence)).ToHashSet();
                var started = journal.History.StartedSends.SelectMany(s => Enumerable.Range(0, (int)s.Value).Select(q => (s.Key, (long)q))).ToHashSet();
                var acked = journal.History.Produced.Where(p => p.Status == ProduceStatus.Acked).Select(p => (p.Producer, p.Sequence)).ToList();
                var settings = new Dictionary<string, string>(ClientCompatibility.SettingsFor(ClusterEnvironment.Version))
                {
                    ["bootstrap.servers"] = await LeftBrokersAsync(),
                };
                var plain = PlainTopicRead.Of(settings);
                var withoutOutcome = plain.Distinct.Count(m => !outcomes.Contains(m));
                var unjournalled = plain.Distinct.Count(m => !outcomes.Contains(m) && !started.Contains(m));
                TestContext.Progress.WriteLine($"SIGKILL {after.TotalSeconds:0.0} s into the workload: journal {outcomes.Count} sends ({acked.Count} acked), "
                    + $"brokers hold {plain.Distinct.Count}, {withoutOutcome} of them without an outcome, {unjournalled} not started by the journal");

                Assert.That(journal.EndStatus, Is.Null, "a killed run wrote no end line");
                Assert.That(acked.Where(m => !plain.Distinct.Contains(m)), Is.Empty, "acknowledged sends the log does not hold (acks=all, min.insync.replicas=2)");
                Assert.That(unjournalled, Is.Zero, "every message in the log is a send the journal started");
                Assert.That(started, Is.SupersetOf(outcomes), "every outcome belongs to a started send");
                var verify = await CliProcess.RunAsync("verify", runDirectory);
                Assert.That(verify.ExitCode, Is.Zero, verify.Error);
                Assert.That(verify.Output, Does.Match(@"phantoms\s*│\s*0\s"), "no stored message the journal did not start");
                Assert.That(verify.Output, Does.Match($@"sent\s*│\s*{started.Count:N0}\s"), "sent is what the producers started");
            }
            finally
            {
                var down = await CliProcess.RunAsync("cluster", "down");
                Assert.That(down.ExitCode, Is.Zero, down.Error);
            }

            Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)), log.ToString());
        }
    }

    /// <summary>The running brokers of the one cluster a killed run left behind, as bootstrap servers.</summary>
    private static async Task<string> LeftBrokersAsync()
    {
        var containers = await ClusterEnvironment.Engine.Client.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [ResourceLabels.BrokerId] = true } },
        });
        var addresses = containers.Where(c => c.State == "running")
            .SelectMany(c => c.NetworkSettings.Networks.Values.Select(n => $"{n.IPAddress}:{ZooKeeperBrokerConfig.ClientPort}")).ToList();
        Assert.That(addresses, Is.Not.Empty, "the killed run's brokers are still running");
        return string.Join(',', addresses);
    }

    /// <summary>Stderr up to the line that says the workload started.</summary>
    internal static async Task<StringBuilder> ReadUntilWorkloadAsync(Process run)
    {
        var log = new StringBuilder();
        while (await run.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(3), TimeProvider.System) is { } line)
        {
            log.AppendLine(line);
            if (line.Contains("scheduled at ", StringComparison.Ordinal))
            {
                return log;
            }
        }

        Assert.Fail("the workload never started: " + log);
        return log;
    }

    /// <summary>
    /// Per producer instance, the messages librdkafka had accepted by its last statistics: the sum of each
    /// partition's <c>msgs</c> ("total number of messages produced, possibly not yet transmitted").
    /// </summary>
    private static Dictionary<string, long> AcceptedByClient(string clientLog)
    {
        var accepted = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(clientLog))
        {
            var marker = line.IndexOf(" statistics {", StringComparison.Ordinal);
            if (marker < 0)
            {
                continue;
            }

            var producer = line[(line.LastIndexOf(' ', marker - 1) + 1)..marker];
            using var json = JsonDocument.Parse(line[(marker + " statistics ".Length)..]);
            long total = 0;
            foreach (var topic in json.RootElement.GetProperty("topics").EnumerateObject())
            {
                foreach (var partition in topic.Value.GetProperty("partitions").EnumerateObject())
                {
                    if (int.Parse(partition.Name, CultureInfo.InvariantCulture) >= 0)
                    {
                        total += partition.Value.GetProperty("msgs").GetInt64();
                    }
                }
            }

            accepted[producer] = total;
        }

        return accepted;
    }

    [GeneratedRegex(@"kept cluster (?<id>\S+): bootstrap servers (?<servers>\S+);")]
    private static partial Regex KeptCluster();
}
