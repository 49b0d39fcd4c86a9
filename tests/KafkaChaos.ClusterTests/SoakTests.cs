using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using KafkaChaos.Cluster;
using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// The nightly soak, not part of <c>make test</c> (<c>make soak</c>): the tool as a user runs it for an
/// hour (KAFKA_CHAOS_SOAK_MINUTES) with a fault drawn at random every 30 s. Its memory and descriptors are
/// sampled from /proc while it sends, the labelled containers from the engine; afterwards the verdict is
/// held to a plain read of the kept cluster's topic. docs/soak.md records a run measured on this project's machine.
/// </summary>
[Category("Soak")]
[NonParallelizable]
public partial class SoakTests
{
    private static readonly string[] FaultPool =
    [
        "{ kind: kill-leader, partition: {P}",
        "{ kind: restart-broker, broker: {B}",
        "{ kind: pause-broker, broker: {B}",
        "{ kind: isolate-leader, partition: {P}",
        "{ kind: isolate-broker, broker: {B}",
        "{ kind: net-loss, broker: {B}, loss_percent: 20",
        "{ kind: cut-replication, broker: {B}",
        "{ kind: restart-consumer",
        "{ kind: restart-producer",
    ];

    private static readonly TimeSpan FaultEvery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FaultLength = TimeSpan.FromSeconds(10);

    [Test]
    public async Task AnHourOfRandomFaults_KeepsMemoryAndDescriptorsFlat_LeaksNoContainer_AndCountsExactly()
    {
        var minutes = int.Parse(Environment.GetEnvironmentVariable("KAFKA_CHAOS_SOAK_MINUTES") ?? "60", CultureInfo.InvariantCulture);
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var duration = TimeSpan.FromMinutes(minutes);
        var faults = new StringBuilder();
        for (var at = FaultEvery; at + FaultLength < duration; at += FaultEvery)
        {
            var fault = FaultPool[random.Next(FaultPool.Length)]
                .Replace("{P}", random.Next(3).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{B}", (1 + random.Next(3)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var timed = fault.Contains("restart-consumer", StringComparison.Ordinal) || fault.Contains("restart-producer", StringComparison.Ordinal)
                ? $"{fault}, at: {at.TotalSeconds:0}s }}"
                : $"{fault}, at: {at.TotalSeconds:0}s, duration: {FaultLength.TotalSeconds:0}s }}";
            faults.Append(CultureInfo.InvariantCulture, $"  - {timed}\n");
        }

        var folder = Directory.CreateTempSubdirectory("kafka-chaos-soak-").FullName;
        var experiment = Path.Combine(folder, "soak.yaml");
        File.WriteAllText(experiment, $$"""
            name: soak
            description: {{minutes}} min at 300 messages/s, a random fault every {{FaultEvery.TotalSeconds:0}} s (seed {{seed}})
            cluster: { brokers: 3 }
            topic: { partitions: 3, replication_factor: 3, min_insync_replicas: 2 }
            workload: { duration: {{minutes}}m, rate: 300 }
            producer: { acks: all }
            consumer: { commit: process-then-commit-sync, batch: 50 }
            nemesis: { quiet_period: 5s, drain_timeout: 60s }
            expectations:
              - expect: { lost: 0 }
                kafka_version: ">=0.11"   # before KIP-101 a follower truncating to its high watermark can drop acknowledged writes
            faults:
            {{faults}}
            """);
        TestContext.Progress.WriteLine($"soak: {minutes} min, fault seed {seed}, experiment {experiment}");

        // Kept after the test (the nightly workflow uploads it): the run directory and the samples.
        var runs = Path.Combine(KafkaChaos.Tests.RepositoryPaths.Root(), ".state", "soak");
        using var run = CliProcess.Start("run", experiment, "--image", ClusterEnvironment.Image, "--runs-dir", runs, "--keep-cluster");
        var output = run.StandardOutput.ReadToEndAsync();
        var log = new StringBuilder();
        var errors = Task.Run(async () =>
        {
            while (await run.StandardError.ReadLineAsync() is { } line)
            {
                lock (log)
                {
                    log.AppendLine(line);
                }
            }
        });

        // Samples while the workload runs: resident memory (with its anonymous and file-backed parts and the thread count, to
        // tell a heap that grows from leaked client threads or mapped files), descriptors, labelled containers.
        var samples = new List<SoakSample>();
        var started = TimeProvider.System.GetTimestamp();
        while (!run.HasExited && TimeProvider.System.GetElapsedTime(started) < duration)
        {
            await Task.Delay(FaultEvery, TimeProvider.System);
            if (SoakSample.Of(run.Id, TimeProvider.System.GetElapsedTime(started)) is { RssKb: > 0 } sample)
            {
                string logged;
                lock (log)
                {
                    logged = log.ToString();
                }

                var managed = ManagedHeap().Matches(logged) is { Count: > 0 } heaps ? long.Parse(heaps[^1].Groups["mib"].Value, CultureInfo.InvariantCulture) * 1024 : 0;
                sample = sample with { Containers = (await ClusterEnvironment.LabelledAsync()).Containers, ManagedKb = managed };
                samples.Add(sample);
                TestContext.Progress.WriteLine($"soak {sample.At:hh\\:mm\\:ss}: rss {sample.RssKb / 1024} MiB (anonymous {sample.AnonymousKb / 1024}, files {sample.FileKb / 1024}, managed heap {sample.ManagedKb / 1024}), {sample.Threads} threads, {sample.Descriptors} descriptors, {sample.Containers} labelled containers");
            }
        }

        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(15), TimeProvider.System);
        await errors;
        var text = log.ToString();
        var clusterId = KeptCluster().Match(text);
        try
        {
            if (Directory.EnumerateDirectories(runs).Any(d => !Path.GetFileName(d).StartsWith('.')))
            {
                SoakSample.Write(Path.Combine(RunDirectory(runs), "soak-samples.tsv"), samples); // kept for a failed run too
            }

            Assert.That(run.ExitCode, Is.Zero, text + await output);

            // Caches, pools and the JIT settle in the first minutes; a short soak (a check of this test) uses its first quarter.
            var warmUp = duration / 4 < TimeSpan.FromMinutes(5) ? duration / 4 : TimeSpan.FromMinutes(5);
            var steady = samples.Where(s => s.At >= warmUp).ToList();
            Assert.That(steady, Has.Count.GreaterThanOrEqualTo(4), "samples after the warm-up");
            var early = Median(steady.Take(5).Select(s => s.RssKb));
            var late = Median(steady.TakeLast(5).Select(s => s.RssKb));
            TestContext.Progress.WriteLine($"rss after warm-up: {early / 1024} MiB, at the end: {late / 1024} MiB");
            Assert.That(late, Is.LessThanOrEqualTo((early * 1.15) + (16 * 1024)), "resident memory stays flat after the warm-up");
            Assert.That(steady.Max(s => s.Descriptors) - steady.Min(s => s.Descriptors), Is.LessThanOrEqualTo(16), "descriptors stay flat");
            Assert.That(samples.Max(s => s.Containers), Is.EqualTo(4), "ZooKeeper and three brokers, never a container more");

            var runDirectory = RunDirectory(runs);
            var cell = ResultsJson.Read(runDirectory)!.Cells.Single();
            Assert.That((cell.Status, cell.Valid, cell.JudgedOnFinalLog), Is.EqualTo((RunStatus.Completed, true, true)), string.Join("; ", Reports.InvalidReasons(cell)));
            Assert.That(cell.Faults.Count(f => f.Phase == FaultPhase.NotApplied), Is.Zero);

            // The verdict against a plain read of the kept topic.
            var settings = new Dictionary<string, string>(ClientCompatibility.SettingsFor(ClusterEnvironment.Version))
            {
                ["bootstrap.servers"] = clusterId.Groups["servers"].Value,
            };
            var plain = PlainTopicRead.Of(settings);
            var journal = JournalReader.ReadRunDirectory(Path.Combine(runDirectory, "cells", "001"));
            var acked = journal.History.Produced.Where(p => p.Status == ProduceStatus.Acked).Select(p => (p.Producer, p.Sequence)).ToList();
            var counts = cell.Counts;
            TestContext.Progress.WriteLine($"plain read: {plain.Records} records, {plain.Distinct.Count} distinct, {plain.ExtraCopies} extra copies; ledger: {counts}");
            Assert.That(plain.Distinct.Count, Is.EqualTo(counts.Sent - counts.Lost - counts.LostUnacked), "distinct messages in the log");
            Assert.That(plain.ExtraCopies, Is.EqualTo(counts.DuplicateWrites), "extra copies in the log");
            Assert.That(acked.Count(m => !plain.Distinct.Contains(m)), Is.EqualTo(counts.Lost), "acknowledged messages the log does not hold");
            if (ClusterEnvironment.Version >= new KafkaVersion(0, 11, 0))
            {
                Assert.That(counts.Lost, Is.Zero, "acks=all, min.insync.replicas=2, clean elections");
            }
            else
            {
                // Before 0.11 (KIP-101) acknowledged writes can be lost to high-watermark truncation, as the soak of
                // 2026-12-03 found (docs/soak.md, run 5): each such loss leaves another record at its acknowledged offset.
                Assert.That(counts.InconsistentOffsets ?? 0, Is.GreaterThanOrEqualTo(counts.Lost), "every acknowledged loss is a truncated offset that now holds another record");
            }
        }
        finally
        {
            if (clusterId.Success)
            {
                await CliProcess.RunAsync("cluster", "down", clusterId.Groups["id"].Value);
            }

            Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>This run's directory among those earlier soaks left in the same folder: the newest, as run ids begin with their start time.</summary>
    private static string RunDirectory(string runs) =>
        Directory.EnumerateDirectories(runs).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal).Last();

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    [GeneratedRegex(@"memory: managed heap (?<mib>\d+) MiB")]
    private static partial Regex ManagedHeap();

    [GeneratedRegex(@"kept cluster (?<id>\S+): bootstrap servers (?<servers>\S+);")]
    private static partial Regex KeptCluster();
}
