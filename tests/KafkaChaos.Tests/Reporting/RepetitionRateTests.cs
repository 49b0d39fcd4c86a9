using KafkaChaos.Experiments;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.Tests.Reporting;

/// <summary>Races judged over repetitions: the Wilson interval, the grouping of repeated cells, rate expectations and how reports show them.</summary>
public class RepetitionRateTests
{
    [TestCase(0, 5, 0.0, 0.4345)]
    [TestCase(5, 5, 0.5655, 1.0)]
    [TestCase(3, 5, 0.2307, 0.8824)]
    [TestCase(1, 10, 0.0179, 0.4042)]
    [TestCase(0, 0, 0.0, 1.0)]
    public void Wilson_MatchesTheTextbookValues(int seen, int runs, double low, double high)
    {
        var interval = WilsonInterval.Of(seen, runs);

        Assert.That(interval.Low, Is.EqualTo(low).Within(0.0005));
        Assert.That(interval.High, Is.EqualTo(high).Within(0.0005));
    }

    [TestCase("m[producer.acks=1]#3", "m[producer.acks=1]")]
    [TestCase("m#12", "m")]
    [TestCase("m", "m")]
    [TestCase("m#", "m#")]
    [TestCase("m#x", "m#x")]
    public void BaseName_StripsOnlyARepetitionNumber(string name, string expected) =>
        Assert.That(RepetitionGroup.BaseName(name), Is.EqualTo(expected));

    [Test]
    public void Group_CountsEachAnomalyOverTheValidRepetitions_AndSaysWhenItVaries()
    {
        var cells = new[]
        {
            Cell("acks#1", lost: 12), Cell("acks#2", lost: 0), Cell("acks#3", lost: 4),
            Cell("acks#4", lost: 9) with { Valid = false }, // a fault not applied: counts neither way
            Cell("other", lost: 0),
        };

        var group = RepetitionGroup.Of(cells).Single();

        Assert.That((group.Cell, group.Runs, group.Varies), Is.EqualTo(("acks", 3, true)));
        var lost = group.Seen.Single(s => s.Count == "lost");
        Assert.That((lost.Seen, lost.Runs), Is.EqualTo((2, 3)));
        Assert.That(lost.ToString(), Does.StartWith("seen in 2 of 3 ("));
    }

    [Test]
    public void RateExpectation_IsJudgedOverTheRepetitions_NotOnEachCell()
    {
        var atLeastThree = new Expectation(new Dictionary<string, string>(), "lost", ">", 0) { AtLeast = 3 };
        CellResult Judged(string name, long lost)
        {
            var cell = Cell(name, lost);
            return cell with { Expectations = [new ExpectationResult(atLeastThree.ToString(), "lost", lost, atLeastThree.IsMetBy(cell.Counts)) { AtLeast = 3 }] };
        }

        var twoOfFour = new[] { Judged("r#1", 5), Judged("r#2", 0), Judged("r#3", 7), Judged("r#4", 0) };
        var threeOfFour = new[] { Judged("r#1", 5), Judged("r#2", 1), Judged("r#3", 7), Judged("r#4", 0) };

        Assert.That(twoOfFour.All(c => c.Passed), Is.True, "one repetition that misses a rate does not fail its cell");
        var failed = Document(twoOfFour);
        Assert.That(failed.Passed, Is.False);
        Assert.That(failed.Repetitions!.Single().Expectations.Single(), Is.EqualTo(new RateExpectationResult(atLeastThree.ToString(), 3, 2, 4, false)));
        Assert.That(Document(threeOfFour).Passed, Is.True);
    }

    [Test]
    public void ExperimentFile_RateBeyondTheRepetitions_IsRefused()
    {
        var error = Assert.Throws<ExperimentConfigException>(() => ExperimentFile.Parse("x.yaml", "repetitions: 2\nexpectations:\n  - { expect: { lost: \">0\" }, at_least: 3 }\n"));

        Assert.That(error!.Message, Does.Contain("asks for 3 repetitions").And.Contain("runs each cell 2 time(s)"));
    }

    [Test]
    public void ExperimentFile_RateExpectation_ReachesEveryRepetition()
    {
        var plan = ExperimentFile.Parse("x.yaml", "repetitions: 5\nexpectations:\n  - { expect: { lost: \">0\" }, at_least: 3 }\n");

        Assert.That(plan.Cells, Has.Count.EqualTo(5));
        Assert.That(plan.Cells.Select(c => c.Expectations.Single().AtLeast), Is.All.EqualTo(3));
        Assert.That(plan.Cells[0].Expectations.Single().ToString(), Is.EqualTo("lost > 0 in at least 3 of the repetitions"));
    }

    [Test]
    public void Reports_ShowTheRatesAndTheRateVerdict()
    {
        var atLeastThree = new ExpectationResult("lost > 0 in at least 3 of the repetitions", "lost", 0, false) { AtLeast = 3 };
        var results = Document([
            Cell("r#1", 5) with { Expectations = [atLeastThree with { Actual = 5, Met = true }] },
            Cell("r#2", 0) with { Expectations = [atLeastThree] },
            Cell("r#3", 0) with { Expectations = [atLeastThree] },
        ]);

        var summary = SummaryMarkdown.Render(results);
        var junit = JUnitReport.Render(results);
        var html = HtmlReport.Render(results);

        Assert.That(summary, Does.Contain("## Repetitions").And.Contain("| r | **fail** | 3 run(s), varies: lost seen in 1 of 3 (6%–79%) |").And.Contain("held in 1 of 3"));
        Assert.That(junit, Does.Contain("name=\"r over 3 repetitions\"").And.Contain("type=\"rate\""));
        Assert.That(html, Does.Contain("<h2>Repetitions</h2>").And.Contain("lost seen in 1 of 3"));
    }

    private static CellResult Cell(string name, long lost) =>
        new(name, new Dictionary<string, string>(), new LedgerCounts { Sent = 100, Acked = 100, Lost = lost, Consumed = 100 - lost },
            new Dictionary<string, IReadOnlyList<AnomalyExample>>(), false, [], null, [], true, [])
        {
            JudgedOnFinalLog = true,
        };

    private static ResultsDocument Document(IReadOnlyList<CellResult> cells) =>
        new(ResultsDocument.CurrentSchemaVersion, "run", RunStatus.Completed, null, 0, 1, cells) { Repetitions = RepetitionGroup.Of(cells) };
}
