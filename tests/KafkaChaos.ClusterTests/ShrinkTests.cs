using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// A real shrink (<c>make test-shrink</c>, not part of <c>make test</c>: each candidate is repetitions of a whole
/// cell). A recorded commit-before-process cell that never processed what a killed consumer had committed, with a
/// producer restart beside it that has nothing to do with it: the shrink must drop the restart, and the file it
/// writes must show the anomaly again in a separate run.
/// </summary>
[Category("Shrink")]
[NonParallelizable]
public class ShrinkTests : RunDirectoryTest
{
    [Test]
    public async Task Shrink_DropsWhatTheAnomalyDoesNotNeed_AndItsFileShowsTheAnomalyInASeparateRun()
    {
        var experiment = Path.Combine(Runs, "recorded.yaml");
        File.WriteAllText(experiment, """
            name: recorded
            cluster: { brokers: 1 }
            topic: { partitions: 3, replication_factor: 1, min_insync_replicas: 1 }
            workload: { messages: 3000, rate: 1000 }
            consumer: { commit: commit-before-process, batch: 10 }
            nemesis: { quiet_period: 1s, drain_timeout: 20s }
            faults:
              - { kind: restart-consumer, crash_point: after-commit, at: 1s }
              - { kind: restart-producer, at: 2s }
            """);
        var recorded = await CliProcess.RunAsync("run", experiment, "--image", ClusterEnvironment.Image, "--runs-dir", Path.Combine(Runs, "recorded"));
        Assert.That(recorded.ExitCode, Is.AnyOf(0, 1), recorded.Error);
        var cell = Path.Combine(ClusterEnvironment.RunDirectoryIn(Path.Combine(Runs, "recorded")), "cells", "001");

        var shrink = await CliProcess.RunAsync("shrink", cell, "--anomaly", "never_processed", "--repetitions", "2", "--budget", "10m", "--runs-dir", Path.Combine(Runs, "shrink"));

        TestContext.Progress.WriteLine(shrink.Output + shrink.Error);
        Assert.That(shrink.ExitCode, Is.Zero, shrink.Error);
        var output = Directory.EnumerateDirectories(Path.Combine(Runs, "shrink")).Single();
        var file = Path.Combine(output, "shrunk.yaml");
        var text = File.ReadAllText(file);
        Assert.That(text, Does.StartWith("# Shows never_processed in 2 of 2 repetitions"));
        Assert.That(text, Does.Contain("kind: restart-consumer").And.Not.Contain("kind: restart-producer"), "the producer restart is not needed");
        Assert.That(File.ReadAllLines(Path.Combine(output, "shrink.log"))[0], Does.StartWith("try 0: the recorded plan: seen in 2 of 2"));

        // The shrunk plan, run on its own: the anomaly again, in the run's own results.
        var again = await CliProcess.RunAsync("run", file, "--image", ClusterEnvironment.Image, "--runs-dir", Path.Combine(Runs, "again"));
        Assert.That(again.ExitCode, Is.AnyOf(0, 1), again.Error);
        var cellAgain = ResultsJson.Read(ClusterEnvironment.RunDirectoryIn(Path.Combine(Runs, "again")))!.Cells.Single();
        Assert.That(cellAgain.Counts.NeverProcessed, Is.GreaterThan(0), "the shrunk plan shows the anomaly in a separate run");
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }
}
