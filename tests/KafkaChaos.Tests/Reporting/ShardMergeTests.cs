using KafkaChaos.Experiments;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.Tests.Reporting;

/// <summary>
/// <c>run --shard i/n</c>'s assignment of cells and <c>report merge</c>'s combination of shards, on plans parsed from
/// a file and on hand-made shard directories: a stable partition of the cells, one whole run from a whole set of
/// shards, and a refusal of every set that is not one.
/// </summary>
public class ShardMergeTests : TemporaryDirectoryTest
{
    private const string Experiment = """
        name: shards
        cluster: { brokers: 1 }
        topic: { partitions: 1, replication_factor: 1, min_insync_replicas: 1 }
        workload: { messages: 100, rate: 100 }
        matrix:
          producer.acks: ["0", "1", all]
        repetitions: 2
        """;

    private static readonly ExperimentPlan Plan = ExperimentFile.Parse("shards.yaml", Experiment);

    [TestCase("1/1")]
    [TestCase("2/4")]
    [TestCase("256/256")]
    public void Parse_TakesIOfN(string text) => Assert.That(Shard.Parse(text, out _)?.ToString(), Is.EqualTo(text));

    [TestCase("3/2")]
    [TestCase("0/2")]
    [TestCase("1/0")]
    [TestCase("1/257")]
    [TestCase("a/b")]
    [TestCase("1/2/3")]
    [TestCase("-1/2")]
    [TestCase("")]
    public void Parse_RefusesAnythingElse_SayingWhatItTakes(string text)
    {
        Assert.That(Shard.Parse(text, out var problem), Is.Null);
        Assert.That(problem, Is.EqualTo($"'{text}' is not a shard i/n, with 1 <= i <= n <= 256 (e.g. 1/4)"));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    [TestCase(6)]
    [TestCase(8)]
    public void Shards_PartitionThePlansCells_EvenlyAndStably(int count)
    {
        var shards = Enumerable.Range(1, count).Select(i => new Shard(i, count).Cells(Plan)).ToList();

        Assert.That(shards.SelectMany(s => s).Order(), Is.EqualTo(Enumerable.Range(0, Plan.Cells.Count)), "every cell in exactly one shard");
        Assert.That(shards.Max(s => s.Count) - shards.Min(s => s.Count), Is.LessThanOrEqualTo(1), "sizes differ by one at most");
        Assert.That(shards.All(s => s.SequenceEqual(s.Order())), Is.True, "each shard runs its cells in plan order");
        Assert.That(Enumerable.Range(1, count).Select(i => new Shard(i, count).Cells(Plan)), Is.EqualTo(shards), "the same file gives the same shards");
    }

    [Test]
    public void Shards_DependOnTheNamesNotOnTheOrderOfTheMatrix()
    {
        var reordered = Plan with { Cells = [.. Plan.Cells.Reverse()] };

        var names = new Shard(1, 2).Cells(Plan).Select(i => Plan.Cells[i].Name);
        var reorderedNames = new Shard(1, 2).Cells(reordered).Select(i => reordered.Cells[i].Name);

        Assert.That(reorderedNames, Is.EquivalentTo(names));
    }

    [Test]
    public void PlanDigest_IsOneFilesOwn()
    {
        var edited = ExperimentFile.Parse("shards.yaml", Experiment.Replace("messages: 100", "messages: 200", StringComparison.Ordinal));

        Assert.That(Shard.PlanDigest(Plan), Is.EqualTo(Shard.PlanDigest(ExperimentFile.Parse("other-path.yaml", Experiment))));
        Assert.That(Shard.PlanDigest(edited), Is.Not.EqualTo(Shard.PlanDigest(Plan)));
    }

    [Test]
    public void Merge_OfEveryShard_IsTheWholeRunInPlanOrder_WithItsCellsFilesAndRates()
    {
        var shards = new[] { ShardRun(1, 2), ShardRun(2, 2) };
        var output = Path.Combine(TestDirectory, "merged");

        var merged = ShardMerge.Merge(shards, output);

        Assert.That(merged.Cells.Select(c => c.Name), Is.EqualTo(Plan.Cells.Select(c => c.Name)));
        Assert.That(merged.Cells.Select(c => c.Directory), Is.EqualTo(Enumerable.Range(1, Plan.Cells.Count).Select(i => $"cells/{i:D3}")));
        Assert.That(merged.Repetitions!.Select(g => (g.Cell, g.Runs)), Is.EqualTo(new[] { ("shards[producer.acks=0]", 2), ("shards[producer.acks=1]", 2), ("shards[producer.acks=all]", 2) }));
        Assert.That(merged.Shard, Is.Null, "a merged run is whole");
        Assert.That(merged.Passed, Is.False, "the acks=0 cells' expectation failed in its shard, and fails the whole");
        foreach (var cell in merged.Cells)
        {
            Assert.That(File.ReadAllText(Path.Combine(output, cell.Directory!, "journal.jsonl")), Is.EqualTo(cell.Name), "each cell's files came with it");
        }

        var read = ResultsJson.Read(output)!;
        Assert.That(read.Cells.Select(c => c.Name), Is.EqualTo(merged.Cells.Select(c => c.Name)));
        foreach (var file in new[] { Reports.SummaryFile, Reports.JUnitFile, Reports.HtmlFile })
        {
            Assert.That(File.Exists(Path.Combine(output, file)), Is.True, file);
        }
    }

    [Test]
    public void Merge_RefusesWhatIsNotOneWholePlan_AndWritesNothing()
    {
        var one = ShardRun(1, 2);
        var two = ShardRun(2, 2);
        var output = Path.Combine(TestDirectory, "merged");
        (string, ResultsDocument) With(ResultsDocument results) => (Directory.CreateDirectory(Path.Combine(TestDirectory, $"other-{Guid.NewGuid():N}")).FullName, results);

        foreach (var (shards, expected) in new (IReadOnlyList<(string, ResultsDocument)>, string)[]
        {
            ([one], "shard(s) 2/2 of shards missing; give every shard's run directory"),
            ([one, one], "shard 1/2 is given twice"),
            ([one, With(two.Results with { Shard = null })], "a whole run, not a shard; report merge combines the runs of 'run --shard i/n'"),
            ([one, With(two.Results with { PlanDigest = "0123456789abcdef" })], "plan (the file's cells and settings) 0123456789abcdef, and "),
            ([one, With(two.Results with { ToolVersion = "0.9+other" })], "tool version 0.9+other, and "),
            ([one, With(two.Results with { Experiment = "other" })], "experiment other, and "),
            ([one, With(two.Results with { Cells = [.. two.Results.Cells.Select(c => c with { Config = new Dictionary<string, string> { ["cluster.kafka.version"] = "3.9.0" } })] })],
                "ran Kafka 3.9.0, and "),
        })
        {
            Assert.That(() => ShardMerge.Merge(shards, output), Throws.TypeOf<ExperimentConfigException>().With.Message.Contains(expected));
            Assert.That(Directory.Exists(output), Is.False, expected);
        }

        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "x"), "");
        Assert.That(() => ShardMerge.Merge([one, two], output), Throws.TypeOf<ExperimentConfigException>().With.Message.EqualTo($"--out {output}: not empty; give a new directory for the merged run"));
    }

    [Test]
    public void AnEmptyShard_StillWritesItsResultsAndReports()
    {
        var directory = Directory.CreateDirectory(Path.Combine(TestDirectory, "empty")).FullName;
        var results = new ResultsDocument(ResultsDocument.CurrentSchemaVersion, "r", RunStatus.Completed, null, 0, 1, [], "shards") { Repetitions = [] };

        Reports.WriteAll(directory, results);

        Assert.That(File.ReadAllText(Path.Combine(directory, Reports.SummaryFile)), Does.Contain("shards"));
    }

    /// <summary>The run directory shard <paramref name="index"/> of <paramref name="count"/> of <see cref="Plan"/> would write, with a stand-in journal per cell.</summary>
    private (string Directory, ResultsDocument Results) ShardRun(int index, int count)
    {
        var directory = Directory.CreateDirectory(Path.Combine(TestDirectory, $"shard-{index}")).FullName;
        var shard = new Shard(index, count);
        var cells = shard.Cells(Plan).Select(i =>
        {
            var planned = Plan.Cells[i];
            var cellDirectory = $"cells/{i + 1:D3}";
            Directory.CreateDirectory(Path.Combine(directory, cellDirectory));
            File.WriteAllText(Path.Combine(directory, cellDirectory, "journal.jsonl"), planned.Name);
            var lost = planned.Settings["producer.acks"] == "0" ? 3 : 0;
            return new CellResult(planned.Name, new Dictionary<string, string>(planned.Settings) { ["cluster.kafka.version"] = "0.9.0.1" },
                new LedgerCounts { Sent = 100, Acked = 100, Lost = lost }, new Dictionary<string, IReadOnlyList<AnomalyExample>>(), false, [], null, [], true, [],
                Directory: cellDirectory, Expectations: [new ExpectationResult("lost == 0", "lost", lost, lost == 0)]);
        }).ToList();
        var results = new ResultsDocument(ResultsDocument.CurrentSchemaVersion, $"run-{index}", RunStatus.Completed, null, index, index + 10, cells, Plan.Name)
        {
            Repetitions = RepetitionGroup.Of(cells),
            ToolVersion = KafkaChaos.ToolVersion.Current,
            PlanDigest = Shard.PlanDigest(Plan),
            Shard = new ShardRecord(index, count, [.. Plan.Cells.Select(c => c.Name)]),
        };
        ResultsJson.Write(directory, results);
        return (directory, results);
    }
}
