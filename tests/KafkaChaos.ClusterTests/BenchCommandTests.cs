using System.Text.Json;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// <c>kafka-chaos bench</c> end to end on a bench file with a fault: a real cluster, both clients, the
/// fault applied and healed in every timed run of both, the reports written, and nothing left behind.
/// The measured figures are not asserted (they belong to <c>make bench</c>), only that they exist.
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public class BenchCommandTests : CliExperimentTest
{
    private const string BenchFile = """
        name: bench-test
        brokers: 3
        runs: { alternations: 3, duration: 2s, paced_duration: 2s, paced_shares: [0.5] }
        sweep:
          message_size: 100
          acks: all
          partitions: 3
          replication_factor: 3
          fault:
            - { kind: pause-broker, broker: 2, at: 500ms, duration: 1s }
        """;

    protected override string ExperimentText => BenchFile;

    [Test]
    public async Task BenchFileWithAFault_MeasuresBothClientsThroughTheFault_AndWritesTheReports()
    {
        var runs = Path.Combine(Folder, "runs");

        var (exitCode, output, error) = await CliProcess.RunAsync("bench", ExperimentPath, "--image", ClusterEnvironment.Image, "--runs-dir", runs, "--final-read-messages", "20000");

        Assert.That(exitCode, Is.Zero, "a cell under a fault is not held to the targets, so nothing can be missed\n" + error);
        Assert.That(output, Does.Contain("under a fault, not held to the targets").And.Contain("bench.json, bench.md, bench.html"));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(output + error, Does.Not.Contain("its topic stays on the cluster"), "each cell's topic is deleted after the cell");
        var directory = Directory.EnumerateDirectories(runs, "bench-*").Single();
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "bench.json")));
        Assert.That(json.RootElement.GetProperty("plan").GetProperty("source").GetString(), Is.EqualTo(ExperimentPath));
        var cell = json.RootElement.GetProperty("cells").EnumerateArray().Single();
        var timed = new[] { "raw_producer", "harness_producer", "raw_consumer", "harness_consumer" }
            .SelectMany(key => cell.GetProperty(key).EnumerateArray())
            .Concat(cell.GetProperty("paced").EnumerateArray().SelectMany(p => p.GetProperty("raw").EnumerateArray().Concat(p.GetProperty("harness").EnumerateArray())))
            .ToList();
        Assert.That(timed, Has.Count.EqualTo(3 * 2 * 3), "three alternations of both clients: unthrottled, paced at one share, consuming");
        Assert.Multiple(() =>
        {
            foreach (var run in timed)
            {
                Assert.That(run.GetProperty("messages").GetInt64(), Is.GreaterThan(0), run.ToString());
                Assert.That(run.GetProperty("fault").GetString(), Does.Match("^pause-broker applied at 0\\.[5-9] s and verified$"), run.ToString());
            }
        });
        var paced = cell.GetProperty("paced")[0];
        var sustained = cell.GetProperty("sustained").EnumerateArray().ToList();
        Assert.That(sustained, Has.Count.EqualTo(3), "one sustained run of the raw client per alternation");
        Assert.Multiple(() =>
        {
            foreach (var run in sustained)
            {
                Assert.That(run.GetProperty("messages_per_second").GetDouble(), Is.GreaterThan(0), run.ToString());
                Assert.That(run.GetProperty("read_to_end").GetBoolean(), Is.True, "its consumer read every message\n" + run);
                Assert.That(run.TryGetProperty("fault", out _), Is.False, "the shares are of what the whole cluster sustains\n" + run);
            }
        });
        var sustainedRate = sustained.Select(r => r.GetProperty("messages_per_second").GetDouble()).Order().ElementAt(1);
        Assert.That(paced.GetProperty("rate").GetDouble(), Is.EqualTo(sustainedRate * 0.5).Within(0.001), "the paced share is of the median sustained rate");
        Assert.Multiple(() =>
        {
            foreach (var run in paced.GetProperty("raw").EnumerateArray().Concat(paced.GetProperty("harness").EnumerateArray()))
            {
                var sent = run.GetProperty("messages").GetInt64();
                Assert.That(run.GetProperty("produce_to_ack").GetProperty("count").GetInt64(), Is.EqualTo(sent), "acks=all on 3 replicas: every message acknowledged\n" + run);
                // Each run's group is new, so its coordinator is any broker; when that is the paused one, the
                // consumer reads again from its last commit and times those records twice.
                Assert.That(run.GetProperty("end_to_end").GetProperty("count").GetInt64(), Is.GreaterThanOrEqualTo(sent),
                    "the consumer alongside read and timed every message\n" + run);
                Assert.That(run.GetProperty("end_to_end").GetProperty("p99").GetInt64(), Is.GreaterThan(0));
                Assert.That(run.GetProperty("read_to_end").GetBoolean(), Is.True);
            }
        });
        var range = cell.GetProperty("consumer_range_records").GetInt64();
        Assert.That(range, Is.GreaterThan(0));
        Assert.Multiple(() =>
        {
            foreach (var run in cell.GetProperty("raw_consumer").EnumerateArray().Concat(cell.GetProperty("harness_consumer").EnumerateArray()))
            {
                // Every consumer run reads the records the last harness run wrote; a rebalance under the fault can make it read some twice.
                Assert.That(run.GetProperty("messages").GetInt64(), Is.GreaterThanOrEqualTo(range), run.ToString());
                Assert.That(run.GetProperty("read_to_end").GetBoolean(), Is.True, run.ToString());
            }
        });
        Assert.That(File.ReadAllText(Path.Combine(directory, "bench.md")), Does.Contain("Runs under a fault"));
        Assert.That(File.ReadAllText(Path.Combine(directory, "bench.html")), Does.Contain("data:image/png;base64,"));
        var faultJournal = File.ReadAllLines(Directory.EnumerateFiles(Path.Combine(directory, "faults"), "journal.jsonl", SearchOption.AllDirectories).Single());
        Assert.That(faultJournal.Count(l => l.Contains("\"phase\":\"verified\"", StringComparison.Ordinal)), Is.EqualTo(timed.Count), "one verified application per timed run");
        Assert.That(faultJournal[^1], Does.Contain("\"type\":\"end\""));
        Assert.That(Directory.Exists(Path.Combine(directory, "scratch")), Is.False);
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }
}
