using System.Xml.Linq;
using KafkaChaos.Experiments;
using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>An experiment file with a matrix, an exclude rule, an unsupported cell and expectations, run end to end.</summary>
[Category("Cluster")]
public class MatrixRunTests : RunDirectoryTest
{
    private const string Experiment = """
        name: matrix-e2e
        description: commit-before-process loses what a consumer killed after its commit never processed; process-then-commit does not.
        cluster: { brokers: 1 }
        topic: { partitions: 2, replication_factor: 1, min_insync_replicas: 1 }
        workload: { duration: 2s, rate: 1000, producers: 2 }
        producer: { acks: all }
        consumer: { batch: 10 }
        nemesis: { quiet_period: 1s, drain_timeout: 20s }
        faults:
          - { kind: restart-consumer, crash_point: after-commit, at: 500ms }
        matrix:
          consumer.commit: [commit-before-process, process-then-commit-sync]
          producer.enable.idempotence: ["false", "true"]
        exclude:
          - { consumer.commit: commit-before-process, producer.enable.idempotence: "true" }
        expectations:
          - when: { consumer.commit: commit-before-process }
            expect: { never_processed: ">0", lost: 0 }
          - when: { consumer.commit: process-then-commit-sync }
            expect: { lost: 0 }
        """;

    [Test]
    public async Task Run_Matrix_WritesEveryReportAndChecksExpectationsPerCell()
    {
        var plan = ExperimentFile.Parse("matrix-e2e.yaml", Experiment);
        var runner = new MatrixRunner(ClusterEnvironment.Engine, TimeProvider.System, TestContext.Progress.WriteLine) { KeepCluster = true };
        RunOutcome outcome;
        PlainTopicRead plain;
        IReadOnlyDictionary<int, long> committed;
        try
        {
            outcome = await runner.RunAsync(plan, ClusterEnvironment.Image, ClusterEnvironment.Version, Runs, null, CancellationToken.None);
            // The unsupported cell starts no cluster, so the one kept is the second cell's, process-then-commit-sync.
            plain = PlainTopicRead.Of(runner.KeptCluster!.ClientSettings);
            committed = GroupCommits.Of(runner.KeptCluster.ClientSettings, plain);
        }
        finally
        {
            if (runner.KeptCluster is { } kept)
            {
                await kept.DisposeAsync();
            }
        }

        var cells = outcome.Results.Cells;
        Assert.That(outcome.Results.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(cells.Select(c => (c.Name, Reports.VerdictName(c))), Is.EqualTo(new[]
        {
            ("matrix-e2e[consumer.commit=commit-before-process,producer.enable.idempotence=false]", "pass"),
            ("matrix-e2e[consumer.commit=process-then-commit-sync,producer.enable.idempotence=false]", "pass"),
            ("matrix-e2e[consumer.commit=process-then-commit-sync,producer.enable.idempotence=true]", "unsupported"),
        }));
        Assert.That(cells[0].Counts.NeverProcessed, Is.GreaterThan(0));
        Assert.That(cells[2].Reason, Does.Contain("0.11 or later"));

        foreach (var file in new[] { ResultsDocument.FileName, Reports.SummaryFile, Reports.JUnitFile, Reports.HtmlFile })
        {
            Assert.That(File.Exists(Path.Combine(outcome.RunDirectory, file)), Is.True, file);
        }

        var junit = XDocument.Load(Path.Combine(outcome.RunDirectory, Reports.JUnitFile)).Root!.Element("testsuite")!;
        Assert.That((junit.Attribute("tests")!.Value, junit.Attribute("failures")!.Value, junit.Attribute("skipped")!.Value), Is.EqualTo(("3", "0", "1")));

        // Each cell's journal holds what its producers did.
        foreach (var cell in cells.Where(c => c.Status == RunStatus.Completed))
        {
            var history = JournalReader.ReadRunDirectory(Path.Combine(outcome.RunDirectory, cell.Directory!)).History;
            Assert.That(cell.Counts.Sent, Is.EqualTo(2000), "2 s at 1000/s");
            Assert.That(history.Produced.GroupBy(p => p.Producer).Select(g => (g.Key, g.Count())).OrderBy(g => g.Key),
                Is.EqualTo(new[] { (0, 1000), (1, 1000) }), "two producers, each half the messages with sequences of its own");
        }

        // The second cell's topic and its group's commits, read by the test from the kept broker.
        Assert.That((plain.Distinct.Count, plain.ExtraCopies), Is.EqualTo((2000, cells[1].Counts.DuplicateWrites)), "the log holds every message of the second cell");
        Assert.That(committed, Is.EquivalentTo(plain.Ends), "its group committed each partition to its end");
        Assert.That(cells[1].Counts.NeverProcessed, Is.Zero, "process-then-commit-sync processed all it committed");

        // 'verify' as a user runs it: cell names carry brackets, which must print as text.
        var verify = await CliProcess.RunAsync("verify", outcome.RunDirectory);
        Assert.That(verify.ExitCode, Is.Zero, verify.Error);
        Assert.That(verify.Output, Does.Contain("matrix-e2e[consumer.commit=commit-before-process,producer.enable.idempotence=false]"));
    }
}
