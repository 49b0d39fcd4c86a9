using KafkaChaos.Cluster;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// The infrastructure failing under a run: the Docker engine going away, the run directory's disk
/// filling up. Each must end in one line that says what to do, exit code 3, a journal that still checks
/// out, and nothing labelled left once the next start has swept.
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public class InfrastructureFailureTests : CliExperimentTest
{
    private const string Experiment = """
        name: infrastructure
        cluster: { brokers: 3 }
        topic: { partitions: 3, replication_factor: 3, min_insync_replicas: 2 }
        workload: { messages: 20000, rate: 1000 }
        producer: { acks: all }
        consumer: { commit: process-then-commit-sync, batch: 50 }
        nemesis: { quiet_period: 1s, drain_timeout: 20s }
        faults:
          - { kind: pause-broker, broker: 2, at: 6s, duration: 4s }
        """;

    protected override string ExperimentText => Experiment;

    [Test]
    public async Task DockerEngineGoneMidRun_ExitsThreeSayingWhatToDo_KeepsTheJournal_AndTheNextStartSweeps()
    {
        var runs = Path.Combine(Folder, "runs");
        using var proxy = new DockerSocketProxy(Path.Combine(Folder, "docker.sock"));
        using var run = CliProcess.Start(new Dictionary<string, string> { ["DOCKER_HOST"] = proxy.DockerHost },
            "run", ExperimentPath, "--image", ClusterEnvironment.Image, "--runs-dir", runs);
        _ = run.StandardOutput.ReadToEndAsync();
        var stderr = new System.Text.StringBuilder();
        var workloadStarted = new TaskCompletionSource();
        run.ErrorDataReceived += (_, line) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(line.Data);
            }

            if (line.Data?.Contains("scheduled at", StringComparison.Ordinal) == true)
            {
                workloadStarted.TrySetResult();
            }
        };
        run.BeginErrorReadLine();

        await workloadStarted.Task.WaitAsync(TimeSpan.FromMinutes(2), TimeProvider.System);
        // The engine goes away once sends are journalled, and before the fault at 6 s needs it.
        while (!Directory.EnumerateFiles(runs, JournalWriter.ProducedFileName, SearchOption.AllDirectories).Any(f => new FileInfo(f).Length > 0))
        {
            Assert.That(run.HasExited, Is.False, "the run ended before it journalled a send");
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        proxy.Stop();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3), TimeProvider.System);
        var log = stderr.ToString();

        Assert.That(run.ExitCode, Is.EqualTo(3), log);
        Assert.That(log, Does.Contain("infrastructure error: ").And.Contain("the Docker engine at unix://").And.Contain("stopped answering").And.Contain("kafka-chaos cluster down"));
        Assert.That(log, Does.Not.Contain("   at "), "no stack trace");
        var runDirectory = ClusterEnvironment.RunDirectoryIn(runs);
        Assert.That(ResultsJson.Read(runDirectory)!.Status, Is.EqualTo(RunStatus.Failed));
        var journal = JournalReader.ReadRunDirectory(Path.Combine(runDirectory, "cells", "001"));
        Assert.That(journal.EndStatus, Is.EqualTo(RunStatus.Failed));
        Assert.That(journal.History.Produced, Is.Not.Empty, "the journal keeps the sends made before the engine went away");

        var down = await CliProcess.RunAsync("cluster", "down");
        Assert.That(down.ExitCode, Is.Zero, down.Error);
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }

    /// <summary>The run directory on a 384 KiB tmpfs that the journal outgrows mid-workload.</summary>
    [Test]
    public async Task DiskFullMidRun_ExitsThreeSayingWhatToDo_KeepsAReadableJournal_AndRemovesTheCluster()
    {
        var smallDisk = Path.Combine(Folder, "small-disk");
        Directory.CreateDirectory(smallDisk);
        var mount = await RunAsync("mount", "-t", "tmpfs", "-o", "size=384k", "kafka-chaos-test", smallDisk);
        Assert.That(mount.ExitCode, Is.Zero, $"mounting a small tmpfs needs root (CI runs as root): {mount.Output}");
        try
        {
            var experiment = Path.Combine(Folder, "disk.yaml");
            File.WriteAllText(experiment, Experiment.Replace("messages: 20000, rate: 1000", "messages: 100000, rate: 4000", StringComparison.Ordinal)
                .Replace("  - { kind: pause-broker, broker: 2, at: 6s, duration: 4s }", "", StringComparison.Ordinal).Replace("faults:", "", StringComparison.Ordinal));
            var runs = Path.Combine(smallDisk, "runs");

            var (exitCode, _, error) = await CliProcess.RunAsync("run", experiment, "--image", ClusterEnvironment.Image, "--runs-dir", runs);

            Assert.That(exitCode, Is.EqualTo(3), error);
            Assert.That(error, Does.Contain("infrastructure error: ").And.Contain("writing to the run directory failed").And.Contain("No space left on device")
                .And.Contain("free space under"));
            Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)),
                "the tool removed its own cluster; no sweep was needed");

            // What reached the disk is readable: whole blocks up to the failure, a torn tail dropped and stated.
            var runDirectory = Directory.EnumerateDirectories(runs).Single();
            var journal = JournalReader.ReadRunDirectory(Path.Combine(runDirectory, "cells", "001"));
            var counts = LedgerChecker.Check(journal.History).Counts;
            Assert.That(counts.Sent, Is.GreaterThan(0));
            Assert.That(counts.Sent, Is.LessThan(100_000), "the run stopped when the disk filled");
            var verify = await CliProcess.RunAsync("verify", runDirectory);
            Assert.That(verify.Error, Does.Not.Contain("   at "));
            Assert.That(verify.ExitCode, Is.Not.EqualTo(3), verify.Error);
            TestContext.Progress.WriteLine($"journal on the full disk: end={journal.EndStatus?.ToString() ?? "none"} truncated={journal.History.Truncated} {counts}");
        }
        finally
        {
            await RunAsync("umount", smallDisk);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>
    /// No host port is ever bound, so a port in use cannot stop a run; what runs share is the address
    /// space. Two clusters starting at the same moment may pick the same free /24: each must end up on
    /// its own network.
    /// </summary>
    [Test]
    public async Task TwoClustersStartingAtOnce_EachGetsItsOwnSubnet()
    {
        var logs = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Task<KafkaCluster> Start(string id) => KafkaCluster.StartAsync(ClusterEnvironment.Engine,
            new ClusterSpec(ClusterEnvironment.Image, ClusterEnvironment.Version, 1, new Dictionary<string, string>()),
            $"{id}-{Environment.ProcessId}", line => logs.Enqueue($"{id}: {line}"), CancellationToken.None);
        var starts = new[] { Start("at-once-a"), Start("at-once-b") };
        try
        {
            var clusters = await Task.WhenAll(starts);
            foreach (var line in logs)
            {
                TestContext.Progress.WriteLine(line);
            }

            Assert.That(clusters[0].Brokers[0].IpAddress, Is.Not.EqualTo(clusters[1].Brokers[0].IpAddress));
            Assert.That(string.Join(",", clusters[0].Brokers[0].IpAddress.Split('.')[..3]), Is.Not.EqualTo(string.Join(",", clusters[1].Brokers[0].IpAddress.Split('.')[..3])),
                "different /24s");
        }
        finally
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }
        }
    }
}
