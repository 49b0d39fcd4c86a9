using System.Text.Json;
using KafkaChaos.ClusterTests;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;
using KafkaChaos.Reporting.Comparison;
using NUnit.Framework;

namespace KafkaChaos.Tests.Reporting;

/// <summary>
/// <c>compare</c> on hand-made run directories: what it calls worse, better or unchanged, its exact markdown,
/// and the exit codes a nightly job acts on.
/// </summary>
public class RunComparisonTests : TemporaryDirectoryTest
{
    private const string Cell = "acks[producer.acks=1]";

    [Test]
    public async Task NewAnomaly_IsWorse_PrintsExactlyThisAndExitsOne()
    {
        var last = Run("20261208-010000-bbbb", [Result(Cell, new LedgerCounts { Sent = 1000, Acked = 1000, Lost = 12 }, expectationMet: false)]);
        var first = Run("20261207-010000-aaaa", [Result(Cell, new LedgerCounts { Sent = 1000, Acked = 1000 }, expectationMet: true)]);

        var (exitCode, output, error) = await CliProcess.RunAsync("compare", first, last, "--out", Path.Combine(TestDirectory, "out"));

        Assert.That(exitCode, Is.EqualTo(1), error);
        Assert.That(output, Is.EqualTo("""
            # acks: 20261207-010000-aaaa → 20261208-010000-bbbb

            1 of 1 cell(s) got worse from 20261207-010000-aaaa to 20261208-010000-bbbb.

            ## Got worse

            - `acks[producer.acks=1]`: lost: a new anomaly, 12 in 20261208-010000-bbbb, never above 0 in 20261207-010000-aaaa (0)
            - `acks[producer.acks=1]`: 'lost == 0' failed in 20261208-010000-bbbb, met in 20261207-010000-aaaa

            ## Cells

            A rate counts as changed only when the two 95% Wilson intervals do not overlap.

            ### `acks[producer.acks=1]`

            | count | 20261207-010000-aaaa | 20261208-010000-bbbb | change |
            |---|---|---|---|
            | sent | 1,000 | 1,000 |  |
            | acked | 1,000 | 1,000 |  |
            | lost | 0 | 12 | worse: new anomaly |

            | expectation | 20261207-010000-aaaa | 20261208-010000-bbbb |
            |---|---|---|
            | lost == 0 | met | failed |


            """.ReplaceLineEndings("\n")));
        Assert.That(error.Trim(), Does.StartWith("wrote compare.md, compare.json and compare.html to "));
        foreach (var file in new[] { ComparisonMarkdown.FileName, ComparisonJson.FileName, ComparisonHtml.FileName })
        {
            Assert.That(File.Exists(Path.Combine(TestDirectory, "out", file)), Is.True, file);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestDirectory, "out", ComparisonJson.FileName)));
        Assert.That(json.RootElement.GetProperty("worse").GetBoolean(), Is.True);
        var lost = json.RootElement.GetProperty("cells")[0].GetProperty("counts").EnumerateArray().Single(c => c.GetProperty("count").GetString() == "lost");
        Assert.That(lost.GetProperty("change").GetString(), Is.EqualTo("new-anomaly"));
        Assert.That(lost.GetProperty("runs")[1].GetProperty("interval").GetProperty("low").GetDouble(), Is.EqualTo(WilsonInterval.Of(1, 1).Low).Within(1e-9));
    }

    [Test]
    public void RatesWhoseIntervalsOverlap_AreUnchanged()
    {
        var comparison = Compare(Repeated(Cell, 3, lostIn: 1), Repeated(Cell, 3, lostIn: 2));

        Assert.That(Lost(comparison).Change, Is.EqualTo(CountChange.Unchanged));
        Assert.That(Lost(comparison).Runs.Select(r => r!.ToString()), Is.EqualTo(new[] { "5 (seen in 1 of 3, 6%–79%)", "10 (seen in 2 of 3, 21%–94%)" }));
        Assert.That(comparison.Worse, Is.False);
    }

    [Test]
    public void RateUpBeyondBothIntervals_IsWorse_AndDownIsBetter()
    {
        var up = Compare(Repeated(Cell, 20, lostIn: 1), Repeated(Cell, 20, lostIn: 19));
        var down = Compare(Repeated(Cell, 20, lostIn: 19), Repeated(Cell, 20, lostIn: 1));

        Assert.That(Lost(up).Change, Is.EqualTo(CountChange.RateUp));
        Assert.That(up.Cells.Single().Regressions, Is.EqualTo(new[] { "lost: seen in 19 of 20 (76%–99%) in b, up from 1 of 20 (1%–24%) in a, beyond both intervals" }));
        Assert.That(Lost(down).Change, Is.EqualTo(CountChange.RateDown));
        Assert.That(down.Worse, Is.False, "better is not worse");
    }

    [Test]
    public void ExpectationNewlyFailed_IsWorse_AndOneNewlyMetIsNot()
    {
        var failed = Compare([Result(Cell, new LedgerCounts { Sent = 10 }, expectationMet: true)], [Result(Cell, new LedgerCounts { Sent = 10 }, expectationMet: false)]);
        var met = Compare([Result(Cell, new LedgerCounts { Sent = 10 }, expectationMet: false)], [Result(Cell, new LedgerCounts { Sent = 10 }, expectationMet: true)]);

        Assert.That(failed.Cells.Single().Regressions, Is.EqualTo(new[] { "'lost == 0' failed in b, met in a" }));
        Assert.That(met.Worse, Is.False);
    }

    [Test]
    public void RateExpectations_AreComparedAsTheRepetitionGroupJudgedThem()
    {
        var held = Repeated(Cell, 3, lostIn: 3, atLeast: 2);
        var missed = Repeated(Cell, 3, lostIn: 1, atLeast: 2);

        var comparison = Compare(held, missed);

        var expectation = comparison.Cells.Single().Expectations.Single();
        Assert.That(expectation.Expectation, Is.EqualTo("lost > 0 in at least 2 of the repetitions"));
        Assert.That(expectation.Met, Is.EqualTo(new bool?[] { true, false }));
        Assert.That(expectation.NewlyFailed, Is.True);
    }

    [Test]
    public void SettingsThatDiffer_AreShown_ButNotTheSeedEveryRunDrawsAnew()
    {
        var comparison = Compare(
            [Result(Cell, new LedgerCounts { Sent = 10 }, config: new() { ["cluster.kafka.version"] = "0.9.0.1", ["nemesis.seed"] = "1" })],
            [Result(Cell, new LedgerCounts { Sent = 10 }, config: new() { ["cluster.kafka.version"] = "3.9.0", ["nemesis.seed"] = "2" })]);

        Assert.That(comparison.Cells.Single().Differences.Keys, Is.EqualTo(new[] { "cluster.kafka.version" }));
        Assert.That(comparison.Cells.Single().Differences["cluster.kafka.version"], Is.EqualTo(new[] { "0.9.0.1", "3.9.0" }));
    }

    [Test]
    public void CellsMissingOrNotJudged_AreShownAsSuch_AndAreNotWorse()
    {
        var invalid = Result(Cell, new LedgerCounts { Sent = 10, Lost = 5 }) with { Valid = false };
        var comparison = Compare(
            [Result(Cell, new LedgerCounts { Sent = 10 }), Result("acks[producer.acks=all]", new LedgerCounts { Sent = 10 })],
            [invalid]);

        Assert.That(comparison.Worse, Is.False, "an invalid cell is not a verdict, and a missing one is not a regression");
        var markdown = ComparisonMarkdown.Render(comparison);
        Assert.That(markdown, Does.Contain("| sent | 10 | not judged |  |"));
        Assert.That(markdown, Does.Contain("| sent | 10 | not in this run |  |"));
    }

    [Test]
    public void OverThreeRuns_EachCellWithAnAnomalyHasATrendChart()
    {
        var runs = new[] { 1, 3, 2 }.Select((lost, i) => new ComparedRun($"r{i}", $"r{i}", Document(Repeated(Cell, 3, lostIn: lost)))).ToList();

        var html = ComparisonHtml.Render(RunComparer.Compare(runs));
        var two = ComparisonHtml.Render(RunComparer.Compare(runs.Take(2).ToList()));

        Assert.That(html, Does.Contain("<img class=\"chart\" alt=\"acks[producer.acks=1]: anomalies per run\" src=\"data:image/png;base64,"));
        Assert.That(two, Does.Not.Contain("<img"), "two runs are a table, not a trend");
    }

    [Test]
    public async Task BadInput_ExitsTwoWithOneLine_AndWritesNothing()
    {
        var run = Run("20261207-010000-aaaa", [Result(Cell, new LedgerCounts { Sent = 10 })]);
        var other = Run("20261207-020000-cccc", [Result(Cell, new LedgerCounts { Sent = 10 })], experiment: "other");
        var empty = Directory.CreateDirectory(Path.Combine(TestDirectory, "empty")).FullName;
        var damaged = Directory.CreateDirectory(Path.Combine(TestDirectory, "damaged")).FullName;
        File.WriteAllText(Path.Combine(damaged, ResultsDocument.FileName), "{\"run_id\": ");
        var output = Path.Combine(TestDirectory, "out");

        foreach (var (arguments, expected) in new (string[], string)[]
        {
            ([run], "compare needs two run directories or more, and was given 1"),
            ([run, empty], $"{Path.Combine(empty, ResultsDocument.FileName)}: not found; is '{empty}' a run directory?"),
            ([run, damaged], $"{Path.Combine(damaged, ResultsDocument.FileName)}: not a results document"),
            ([run, other], $"{other}: a run of experiment 'other', and {run} is one of 'acks'; compare runs of one experiment file"),
        })
        {
            var (exitCode, _, error) = await CliProcess.RunAsync(["compare", .. arguments, "--out", output]);

            Assert.That(exitCode, Is.EqualTo(2), error);
            Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.Contain(expected));
            Assert.That(Directory.Exists(output), Is.False, "nothing written for bad input");
        }
    }

    private static CountComparison Lost(RunComparison comparison) => comparison.Cells.Single().Counts.Single(c => c.Count == "lost");

    private static RunComparison Compare(IReadOnlyList<CellResult> first, IReadOnlyList<CellResult> last) =>
        RunComparer.Compare([new ComparedRun("a", "a", Document(first)), new ComparedRun("b", "b", Document(last))]);

    private static ResultsDocument Document(IReadOnlyList<CellResult> cells, string experiment = "acks", string runId = "r") =>
        new(ResultsDocument.CurrentSchemaVersion, runId, RunStatus.Completed, null, 0, 1, cells, experiment) { Repetitions = RepetitionGroup.Of(cells) };

    private string Run(string runId, IReadOnlyList<CellResult> cells, string experiment = "acks")
    {
        var directory = Directory.CreateDirectory(Path.Combine(TestDirectory, runId)).FullName;
        ResultsJson.Write(directory, Document(cells, experiment, runId));
        return directory;
    }

    /// <summary><paramref name="repetitions"/> repetitions of a cell, the first <paramref name="lostIn"/> of which lost 5 messages.</summary>
    private static List<CellResult> Repeated(string name, int repetitions, int lostIn, int? atLeast = null) =>
        Enumerable.Range(1, repetitions).Select(k => Result($"{name}#{k}", new LedgerCounts { Sent = 100, Lost = k <= lostIn ? 5 : 0 }) with
        {
            Expectations = atLeast is { } n ? [new ExpectationResult("lost > 0", "lost", k <= lostIn ? 5 : 0, k <= lostIn) { AtLeast = n }] : null,
        }).ToList();

    private static CellResult Result(string name, LedgerCounts counts, bool? expectationMet = null, Dictionary<string, string>? config = null) =>
        new(name, config ?? new Dictionary<string, string> { ["producer.acks"] = "1" }, counts, new Dictionary<string, IReadOnlyList<AnomalyExample>>(), false,
            [], null, [], true, [], Expectations: expectationMet is { } met ? [new ExpectationResult("lost == 0", "lost", counts.Lost, met)] : null);
}
