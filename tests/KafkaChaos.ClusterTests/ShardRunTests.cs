using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// One experiment file run whole and run as shards 1/2 and 2/2 on real clusters, then merged: the merge must
/// give the same cells, the same expectations and the same exit code as the whole run, and a shard of another
/// file must be refused.
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public class ShardRunTests : CliExperimentTest
{
    private const string Experiment = """
        name: shards-e2e
        cluster: { brokers: 1 }
        topic: { partitions: 2, replication_factor: 1, min_insync_replicas: 1 }
        workload: { messages: 1000, rate: 1000 }
        consumer: { commit: process-then-commit-sync, batch: 10 }
        nemesis: { quiet_period: 1s, drain_timeout: 20s }
        faults:
          - { kind: restart-consumer, crash_point: after-commit, at: 500ms }
        matrix:
          consumer.commit: [commit-before-process, process-then-commit-sync]
          producer.acks: ["1", all]
        expectations:
          - when: { consumer.commit: commit-before-process }
            expect: { never_processed: ">0", lost: 0 }
          - when: { consumer.commit: process-then-commit-sync }
            expect: { never_processed: 0, lost: 0 }
        """;

    protected override string ExperimentText => Experiment;

    [Test]
    public async Task ShardsMerged_GiveTheWholeRunsCellsExpectationsAndExitCode_AndAnotherFilesShardIsRefused()
    {
        var whole = await RunAsync("whole");
        var one = await RunAsync("one", "--shard", "1/2");
        var two = await RunAsync("two", "--shard", "2/2");
        var merged = Path.Combine(Folder, "merged");

        var merge = await CliProcess.RunAsync("report", "merge", one.Directory, two.Directory, "--out", merged);

        TestContext.Progress.WriteLine(merge.Output + merge.Error);
        Assert.That(merge.ExitCode, Is.EqualTo(whole.ExitCode), "the merged verdict's exit code is the whole run's");
        var wholeResults = ResultsJson.Read(whole.Directory)!;
        var mergedResults = ResultsJson.Read(merged)!;
        Assert.That(ResultsJson.Read(one.Directory)!.Cells.Select(c => c.Name).Intersect(ResultsJson.Read(two.Directory)!.Cells.Select(c => c.Name)), Is.Empty,
            "the two shards ran different cells");
        Assert.That(mergedResults.Cells.Select(c => (c.Name, c.Directory)), Is.EqualTo(wholeResults.Cells.Select(c => (c.Name, c.Directory))), "the same cells, in the same directories");
        Assert.That(mergedResults.Cells.Select(c => c.Expectations!.Select(e => (e.Expectation, e.Met))), Is.EqualTo(wholeResults.Cells.Select(c => c.Expectations!.Select(e => (e.Expectation, e.Met)))),
            "the same expectations, met the same way");
        foreach (var cell in mergedResults.Cells)
        {
            Assert.That(File.Exists(Path.Combine(merged, cell.Directory!, "journal.jsonl")), Is.True, $"{cell.Name}'s journal came with it");
        }

        var verify = await CliProcess.RunAsync("verify", merged);
        Assert.That(verify.ExitCode, Is.Zero, "every merged cell's journal gives its results again: " + verify.Error);

        // A shard of another file: the same matrix with another workload.
        File.WriteAllText(ExperimentPath, Experiment.Replace("messages: 1000", "messages: 800", StringComparison.Ordinal));
        var other = await RunAsync("other", "--shard", "2/2");
        var refused = await CliProcess.RunAsync("report", "merge", one.Directory, other.Directory, "--out", Path.Combine(Folder, "refused"));
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.Error);
        Assert.That(refused.Error.Trim(), Does.Contain("plan (the file's cells and settings)").And.Contain("merge shards of one run of one file"));
        Assert.That(Directory.Exists(Path.Combine(Folder, "refused")), Is.False);
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }

    private async Task<(int ExitCode, string Directory)> RunAsync(string name, params string[] flags)
    {
        var runs = Path.Combine(Folder, name);
        var (exitCode, output, error) = await CliProcess.RunAsync(["run", ExperimentPath, "--image", ClusterEnvironment.Image, "--runs-dir", runs, .. flags]);
        TestContext.Progress.WriteLine($"{name}: exit {exitCode}\n{output}");
        Assert.That(exitCode, Is.AnyOf(0, 1), error);
        return (exitCode, ClusterEnvironment.RunDirectoryIn(runs));
    }
}
