using KafkaChaos.Cluster;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// The harness under faults of its own: SIGKILLed at random points of a run, interrupted with SIGINT,
/// and given a broker that never becomes healthy. Every time: a readable, verifiable journal, the
/// right exit code, and nothing labelled left once the next start has swept.
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public class HarnessCrashTests : CliExperimentTest
{
    private const string Experiment = """
        name: crash
        cluster: { brokers: 3 }
        topic: { partitions: 3, replication_factor: 3, min_insync_replicas: 2 }
        workload: { messages: 16000, rate: 1000 }
        producer: { acks: all }
        consumer: { commit: process-then-commit-sync, batch: 50 }
        nemesis: { quiet_period: 1s, drain_timeout: 20s }
        faults:
          - { kind: isolate-broker, broker: 2, at: 3s, duration: 6s }
          - { kind: net-loss, broker: 3, loss_percent: 10, at: 5s, duration: 6s }
        """;

    protected override string ExperimentText => Experiment;

    /// <summary>Kill points drawn from a printed seed, one in each phase: setup, produce with faults, heal, final read.</summary>
    [Test]
    public async Task Sigkill_AtRandomPoints_LeavesAVerifiableJournalAndNothingAfterTheSweep()
    {
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var windows = new[] { (1.0, 4.0), (8.0, 14.0), (15.0, 20.0), (21.0, 27.0) };
        TestContext.Progress.WriteLine($"kill points from seed {seed}");
        foreach (var (from, to) in windows)
        {
            var killAt = TimeSpan.FromSeconds(from + (random.NextDouble() * (to - from)));
            var runs = Path.Combine(Folder, $"runs-{killAt.TotalMilliseconds:0}");
            using var run = CliProcess.Start("run", ExperimentPath, "--image", ClusterEnvironment.Image, "--runs-dir", runs);
            _ = run.StandardOutput.ReadToEndAsync();
            _ = run.StandardError.ReadToEndAsync();
            var exit = run.WaitForExitAsync();
            var exited = await Task.WhenAny(exit, Task.Delay(killAt, TimeProvider.System)) == exit;
            if (!exited)
            {
                run.Kill(); // SIGKILL: no cleanup of any kind
            }

            await run.WaitForExitAsync();
            TestContext.Progress.WriteLine($"killed at {killAt.TotalSeconds:0.0} s (exited by itself: {exited})");

            // Whatever was journalled is readable and checks out.
            var runDirectory = Directory.EnumerateDirectories(runs).SingleOrDefault(d => !d.EndsWith(".dist", StringComparison.Ordinal));
            var cell = runDirectory is null ? null : Path.Combine(runDirectory, "cells", "001");
            // A kill between creating journal.jsonl and writing its first line (written through at once) leaves it
            // empty: nothing was journalled, and there is nothing to read.
            if (cell is not null && File.Exists(Path.Combine(cell, JournalWriter.FileName)) && new FileInfo(Path.Combine(cell, JournalWriter.FileName)).Length > 0)
            {
                // Held to the brokers' log by InterruptCountTests; here: readable in every phase, torn tail and all.
                var journal = JournalReader.ReadRunDirectory(cell);
                var counts = LedgerChecker.Check(journal.History).Counts;
                var verify = await CliProcess.RunAsync("verify", runDirectory!);
                Assert.That(verify.ExitCode, Is.Zero, verify.Error);
                Assert.That(verify.Output, Does.Contain("sent"));
                TestContext.Progress.WriteLine($"  journal: end={journal.EndStatus?.ToString() ?? "none"} truncated={journal.History.Truncated} {counts}");
            }

            // The next start sweeps what the dead process left ('cluster down' is that sweep on its own).
            var down = await CliProcess.RunAsync("cluster", "down");
            Assert.That(down.ExitCode, Is.Zero, down.Error);
            Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)), $"after a kill at {killAt.TotalSeconds:0.0} s");
        }
    }

    [Test]
    public async Task Sigint_MidRun_HealsTearsDownWritesAnInterruptedReportAndExits130()
    {
        var runs = Path.Combine(Folder, "runs");
        using var run = CliProcess.Start("run", ExperimentPath, "--image", ClusterEnvironment.Image, "--runs-dir", runs);
        _ = run.StandardOutput.ReadToEndAsync();
        var before = await CliProcess.ReadErrorUntilAsync(run, "faults active: ", TimeSpan.FromMinutes(2)); // inside the workload, with a fault active
        await CliProcess.SignalAsync(run, "INT");
        var stderr = run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2), TimeProvider.System);

        Assert.That(run.ExitCode, Is.EqualTo(130), before + await stderr);
        var runDirectory = ClusterEnvironment.RunDirectoryIn(runs);
        var results = ResultsJson.Read(runDirectory)!;
        Assert.That(results.Status, Is.EqualTo(RunStatus.Interrupted));
        Assert.That(File.Exists(Path.Combine(runDirectory, Reports.HtmlFile)), Is.True, "a partial report");
        Assert.That(File.Exists(Path.Combine(runDirectory, Reports.JUnitFile)), Is.True);
        Assert.That(JournalReader.ReadRunDirectory(Path.Combine(runDirectory, "cells", "001")).EndStatus, Is.EqualTo(RunStatus.Interrupted));
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task SecondSigint_ForcesTheExitAtOnce_AndTheNextStartSweepsEverything()
    {
        var runs = Path.Combine(Folder, "runs");
        using var run = CliProcess.Start("run", ExperimentPath, "--image", ClusterEnvironment.Image, "--runs-dir", runs);
        _ = run.StandardOutput.ReadToEndAsync();
        await CliProcess.ReadErrorUntilAsync(run, "faults active: ", TimeSpan.FromMinutes(2)); // inside the workload, with a fault active
        await CliProcess.SignalAsync(run, "INT");
        await CliProcess.ReadErrorUntilAsync(run, "interrupted: tearing down", TimeSpan.FromSeconds(30)); // the first one taken, the teardown begun
        await CliProcess.SignalAsync(run, "INT");
        var stderr = run.StandardError.ReadToEndAsync();
        var exit = run.WaitForExitAsync();
        Assert.That(await Task.WhenAny(exit, Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System)), Is.SameAs(exit), "a second Ctrl-C ends the process without waiting for the teardown");
        Assert.That(run.ExitCode, Is.Not.Zero, await stderr);

        var verify = await CliProcess.RunAsync("verify", ClusterEnvironment.RunDirectoryIn(runs));
        Assert.That(verify.ExitCode, Is.Zero, "the journal up to the last flush reads and checks out: " + verify.Error);

        var down = await CliProcess.RunAsync("cluster", "down");
        Assert.That(down.ExitCode, Is.Zero, down.Error);
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task KeepCluster_Sigint_HealsAndKeepsTheClusterThatNoSweepButDownRemoves()
    {
        var runs = Path.Combine(Folder, "runs");
        using var run = CliProcess.Start("run", ExperimentPath, "--image", ClusterEnvironment.Image, "--runs-dir", runs, "--keep-cluster");
        _ = run.StandardOutput.ReadToEndAsync();
        var lines = new System.Text.StringBuilder();
        while (await run.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2), TimeProvider.System) is { } line)
        {
            lines.AppendLine(line);
            if (line.Contains("faults active: ", StringComparison.Ordinal) && line.Contains("isolate-broker", StringComparison.Ordinal)
                && line.Contains("net-loss", StringComparison.Ordinal))
            {
                break; // both faults applied: a cut-off broker and a DROP rule to undo
            }
        }

        await CliProcess.SignalAsync(run, "INT");
        lines.Append(await run.StandardError.ReadToEndAsync());
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2), TimeProvider.System);
        var log = lines.ToString();
        Assert.That(log, Does.Contain("faults active: "), "the run got as far as both faults");
        Assert.That(run.ExitCode, Is.EqualTo(130), log);
        var clusterId = System.Text.RegularExpressions.Regex.Match(log, @"kept cluster (\S+):").Groups[1].Value;
        Assert.That(clusterId, Is.Not.Empty, log);
        try
        {
            await AssertKeptAndHealedAsync(clusterId, log);
        }
        finally
        {
            // Whatever failed above, the kept cluster must not outlive the test and fail every later one.
            var down = await CliProcess.RunAsync("cluster", "down", clusterId);
            Assert.That(down.ExitCode, Is.Zero, down.Error);
        }

        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }

    private static async Task AssertKeptAndHealedAsync(string clusterId, string log)
    {
        Assert.That(log, Does.Contain($"undid every fault on the kept cluster {clusterId}"));

        // Kept means: running, every fault undone, and not stale to the sweep every start does.
        var swept = await CliProcess.RunAsync("cluster", "down");
        Assert.That(swept.Output, Does.Contain("removed 0 container(s) and 0 network(s)"), swept.Error);
        var status = await CliProcess.RunAsync("cluster", "status");
        Assert.That(status.Output, Does.Contain("kept"));
        var labelled = await ClusterEnvironment.LabelledAsync();
        Assert.That(labelled, Is.EqualTo((4, 1)), "ZooKeeper, three brokers and their network");
        var containers = await ClusterEnvironment.Engine.Client.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ResourceLabels.Run}={clusterId}"] = true } },
        });
        foreach (var container in containers)
        {
            Assert.That(container.State, Is.EqualTo("running"), $"{container.Names[0]} running, not paused or stopped");
            Assert.That(container.Labels[ResourceLabels.Owner], Is.EqualTo(ResourceLabels.KeptOwner));
            if (container.Labels[ResourceLabels.Role] == "broker")
            {
                var (_, rules) = await ClusterEnvironment.Engine.ExecAsync(container.ID, ["iptables", "-S"], CancellationToken.None);
                Assert.That(rules.Split('\n').Where(r => r.StartsWith("-A KAFKA_CHAOS", StringComparison.Ordinal)), Is.Empty, $"fault rules left on {container.Names[0]}");
            }
        }
    }

    [Test]
    public async Task BrokerThatNeverStarts_FailsFastWithExitThreeAndItsLogInTheRunDirectory()
    {
        var broken = Path.Combine(Folder, "broken.yaml");
        File.WriteAllText(broken, Experiment.Replace("producer: { acks: all }", "producer: { acks: all }\nbroker: { log.dirs: /proc/kafka-chaos-not-writable }", StringComparison.Ordinal));
        var runs = Path.Combine(Folder, "runs");

        var (exitCode, _, error) = await CliProcess.RunAsync("run", broken, "--image", ClusterEnvironment.Image, "--runs-dir", runs);

        Assert.That(exitCode, Is.EqualTo(3), error);
        Assert.That(error, Does.Contain("exited with code").And.Contain("before registering"));
        var cell = Path.Combine(ClusterEnvironment.RunDirectoryIn(runs), "cells", "001");
        Assert.That(Directory.EnumerateFiles(Path.Combine(cell, "logs"), "*broker-1.log"), Is.Not.Empty, "the broker's log was copied before removal");
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }
}
